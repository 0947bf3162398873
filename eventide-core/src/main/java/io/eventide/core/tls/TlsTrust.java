package io.eventide.core.tls;

import io.eventide.core.tls.internal.Pem;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which certificate authorities to trust: the JDK's default trust store ({@link #system()}), a PEM
 * bundle, a PKCS#12 store, or certificates in memory. Clients check servers against it (with the
 * host name, see {@link ClientTls}); servers that ask for client certificates check clients
 * against it. Expiry, key usage and path building are the JDK's PKIX checks.
 *
 * <p><b>Threading:</b> immutable; any thread. Files are read when a context is built: not on a loop.
 */
public final class TlsTrust {
    private final Path pem;
    private final Path store;
    private final char[] password;
    private final List<X509Certificate> certificates;
    private final boolean any;

    private TlsTrust(Path pem, Path store, char[] password, List<X509Certificate> certificates) {
        this(pem, store, password, certificates, false);
    }

    private TlsTrust(Path pem, Path store, char[] password, List<X509Certificate> certificates, boolean any) {
        this.pem = pem;
        this.store = store;
        this.password = password;
        this.certificates = certificates;
        this.any = any;
    }

    /**
     * Trust in every certificate: the connection is encrypted, but the peer is not authenticated,
     * so an active attacker can read and change it. Only for what asks for exactly that, such as
     * PostgreSQL's {@code sslmode=require} (libpq does not check the certificate there either);
     * never a default. Use it with {@code ClientTls.verifyHostname(false)}.
     *
     * @return trust that checks nothing
     */
    public static TlsTrust anyCertificate() {
        return new TlsTrust(null, null, null, null, true);
    }

    /** @return the JDK's default trust store (the {@code cacerts} file, or what {@code javax.net.ssl.trustStore} names) */
    public static TlsTrust system() {
        return new TlsTrust(null, null, null, null);
    }

    /**
     * @param caBundle PEM file with one or more CA certificates
     * @return trust in exactly those
     */
    public static TlsTrust pem(Path caBundle) {
        return new TlsTrust(Objects.requireNonNull(caBundle), null, null, null);
    }

    /**
     * @param file PKCS#12 store; every certificate in it is trusted
     * @param password its password
     * @return trust in those
     */
    public static TlsTrust pkcs12(Path file, char[] password) {
        return new TlsTrust(null, Objects.requireNonNull(file), password.clone(), null);
    }

    /**
     * @param cas CA (or self-signed) certificates
     * @return trust in exactly those
     */
    public static TlsTrust of(X509Certificate... cas) {
        return new TlsTrust(null, null, null, List.of(cas));
    }

    /** @return whether this is the JDK's default trust */
    boolean isSystem() {
        return pem == null && store == null && certificates == null && !any;
    }

    /** @return trust managers built now (files read now) */
    TrustManager[] trustManagers() {
        if (any) {
            return new TrustManager[] {new AnyCertificate()};
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (isSystem()) {
                tmf.init((KeyStore) null);
                return tmf.getTrustManagers();
            }
            List<X509Certificate> cas = certificates != null ? certificates
                    : pem != null ? List.of(Pem.certificates(pem)) : Pem.allCertificates(Pem.pkcs12(store, password));
            if (cas.isEmpty()) {
                throw new TlsException("no certificate to trust in " + (pem != null ? pem : store));
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : cas) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new TlsException("cannot build a trust store from " + this + ": " + e.getMessage(), e);
        }
    }

    /** Accepts every chain; extended, so that the JDK does not add checks of its own around it. */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Override
    public String toString() {
        return any ? "TlsTrust[any certificate]" : isSystem() ? "TlsTrust[system]" : pem != null ? "TlsTrust[" + pem + "]"
                : store != null ? "TlsTrust[" + store + "]" : "TlsTrust[" + certificates.size() + " certificates]";
    }
}
