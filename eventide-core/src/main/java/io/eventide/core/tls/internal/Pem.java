package io.eventide.core.tls.internal;

import io.eventide.core.tls.TlsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads key material: PEM certificate chains, PEM PKCS#8 private keys (RSA, EC, Ed25519/Ed448,
 * RSASSA-PSS), PKCS#12 key stores. Formats it does not read (PKCS#1 {@code RSA PRIVATE KEY}, SEC1
 * {@code EC PRIVATE KEY}, encrypted PKCS#8) get an error that says how to convert them.
 *
 * <p><b>Threading:</b> any thread; reads files, so not on a loop.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "EdDSA", "RSASSA-PSS"};

    private Pem() {
    }

    /**
     * @param file a PEM file with one or more {@code CERTIFICATE} blocks, leaf first
     * @return the certificates in file order
     */
    public static X509Certificate[] certificates(Path file) {
        byte[] bytes = read(file);
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new TlsException("no certificate in " + file);
            }
            return out.toArray(new X509Certificate[0]);
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot read the certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file a PEM file with one {@code PRIVATE KEY} (PKCS#8) block
     * @return the key
     */
    public static PrivateKey privateKey(Path file) {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(Base64.getMimeDecoder().decode(m.group(2)), file);
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> throw new TlsException(
                        file + " holds a '" + type + "' block; Eventide reads unencrypted PKCS#8 keys: convert with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pem'");
                default -> {
                    // Other blocks (EC PARAMETERS, CERTIFICATE): not the key, look further.
                }
            }
        }
        throw new TlsException("no 'PRIVATE KEY' block in " + file);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm: the PKCS#8 header names it, but KeyFactory makes us try.
            }
        }
        throw new TlsException("the key in " + file + " is not an RSA, EC, EdDSA or RSASSA-PSS PKCS#8 key");
    }

    /**
     * @param file a PKCS#12 file
     * @param password its password
     * @return the loaded store
     */
    public static KeyStore pkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) { // blocking-ok: key material, read off-loop
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsException("cannot read the PKCS#12 store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param store a key store
     * @param password the key's password
     * @param where for messages
     * @return the first private key entry's key and chain
     */
    public static KeyEntry firstKey(KeyStore store, char[] password, Object where) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) store.getKey(alias, password);
                    Certificate[] chain = store.getCertificateChain(alias);
                    X509Certificate[] x = new X509Certificate[chain.length];
                    for (int i = 0; i < chain.length; i++) {
                        x[i] = (X509Certificate) chain[i];
                    }
                    return new KeyEntry(key, x);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot read the key in " + where + ": " + e.getMessage(), e);
        }
        throw new TlsException("no private key entry in " + where);
    }

    /**
     * @param store a key store
     * @return every certificate in it (trusted entries and chains), for a trust store
     */
    public static List<X509Certificate> allCertificates(KeyStore store) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot list the certificates of a key store: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file); // blocking-ok: key material, read off-loop
        } catch (IOException e) {
            throw new TlsException("cannot read " + file + ": " + e, e);
        }
    }

    /**
     * A private key and its certificate chain, leaf first.
     *
     * @param key the private key
     * @param chain the chain
     */
    public record KeyEntry(PrivateKey key, X509Certificate[] chain) {
    }
}
