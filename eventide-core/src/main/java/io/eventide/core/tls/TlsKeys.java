package io.eventide.core.tls;

import io.eventide.core.tls.internal.Pem;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Where a private key and its certificate chain come from: PEM files (a chain, leaf first, and a
 * PKCS#8 key), a PKCS#12 store, or objects already in memory. Files are read when a
 * {@link ServerTls} or {@link ClientTls} is built and again on {@link ServerTls#reload()}, so
 * certificates renewed on disk are picked up without a restart.
 *
 * <pre>{@code
 * TlsKeys.pem(Path.of("/etc/eventide/fullchain.pem"), Path.of("/etc/eventide/key.pem"))
 * TlsKeys.pkcs12(Path.of("server.p12"), "changeit".toCharArray())
 * }</pre>
 *
 * <p><b>Threading:</b> immutable; any thread. {@link #load()} reads files: not on a loop.
 */
public final class TlsKeys {
    private final Path chain;
    private final Path key;
    private final Path store;
    private final char[] password;
    private final Pem.KeyEntry inMemory;

    private TlsKeys(Path chain, Path key, Path store, char[] password, Pem.KeyEntry inMemory) {
        this.chain = chain;
        this.key = key;
        this.store = store;
        this.password = password;
        this.inMemory = inMemory;
    }

    /**
     * @param certificateChain PEM file with the certificate chain, leaf first
     * @param privateKey PEM file with the unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY})
     * @return the key material
     */
    public static TlsKeys pem(Path certificateChain, Path privateKey) {
        return new TlsKeys(Objects.requireNonNull(certificateChain), Objects.requireNonNull(privateKey), null, null,
                null);
    }

    /**
     * @param file PKCS#12 store; its first private key entry is used
     * @param password the store's (and key's) password
     * @return the key material
     */
    public static TlsKeys pkcs12(Path file, char[] password) {
        return new TlsKeys(null, null, Objects.requireNonNull(file), password.clone(), null);
    }

    /**
     * @param key the private key
     * @param chain its certificate chain, leaf first
     * @return the key material
     */
    public static TlsKeys of(PrivateKey key, X509Certificate... chain) {
        if (chain.length == 0) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf");
        }
        return new TlsKeys(null, null, null, null, new Pem.KeyEntry(Objects.requireNonNull(key), chain.clone()));
    }

    /**
     * Reads the key and chain now. Throws {@link TlsException} naming the file on any problem.
     *
     * @return the private key
     */
    public PrivateKey privateKey() {
        return load().key();
    }

    /** @return the certificate chain, leaf first, read now */
    public X509Certificate[] certificateChain() {
        return load().chain().clone();
    }

    Pem.KeyEntry load() {
        if (inMemory != null) {
            return inMemory;
        }
        if (store != null) {
            return Pem.firstKey(Pem.pkcs12(store, password), password, store);
        }
        X509Certificate[] certs = Pem.certificates(chain);
        PrivateKey k = Pem.privateKey(key);
        if (!certs[0].getPublicKey().getAlgorithm().equals(k.getAlgorithm())
                && !(k.getAlgorithm().startsWith("Ed") && certs[0].getPublicKey().getAlgorithm().startsWith("Ed"))) {
            throw new TlsException("the key in " + key + " (" + k.getAlgorithm() + ") does not belong to the first "
                    + "certificate of " + chain + " (" + certs[0].getPublicKey().getAlgorithm() + ")");
        }
        return new Pem.KeyEntry(k, certs);
    }

    @Override
    public String toString() {
        return inMemory != null ? "TlsKeys[in memory]" : store != null ? "TlsKeys[" + store + "]"
                : "TlsKeys[" + chain + ", " + key + "]";
    }
}
