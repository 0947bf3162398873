package io.eventide.core.testing;

import io.eventide.core.tls.TlsKeys;
import io.eventide.core.tls.TlsTrust;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests, made in-process once per test JVM (BouncyCastle, test scope only):
 * a test CA, and leaves it signed for {@code localhost}/127.0.0.1 (EC and RSA), for other names
 * (SNI), an expired one, one for the wrong host, a client certificate (mutual TLS), and a
 * self-signed one nobody trusts. Each leaf exists as PEM (chain + PKCS#8 key) and PKCS#12, in a
 * temporary directory, so real peers (curl, openssl, Node.js) can use the same files.
 *
 * <p><b>Threading:</b> any thread; the first call generates, later calls return at once.
 */
public final class TestCertificates {
    /** Password of every PKCS#12 file here. */
    public static final String PASSWORD = "changeit";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static TestCertificates instance;

    private final Path dir;
    private KeyPair caKeys;
    private X509Certificate ca;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** @return the certificates, generated on first use */
    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                TestCertificates c = new TestCertificates(Files.createTempDirectory("eventide-tls-"));
                c.generate();
                instance = c;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("cannot make test certificates", e);
            }
        }
        return instance;
    }

    private void generate() throws Exception {
        caKeys = ec();
        Instant now = Instant.now();
        ca = sign(new X500Name("CN=Eventide Test CA"), caKeys, caKeys.getPrivate(), new X500Name("CN=Eventide Test CA"),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), null, true);
        Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(365));
        leaf("server", "localhost", List.of("dns:localhost", "ip:127.0.0.1"), ec(), from, to, true);
        leaf("server-rsa", "localhost", List.of("dns:localhost", "ip:127.0.0.1"), rsa(), from, to, true);
        leaf("alpha", "alpha.test", List.of("dns:alpha.test"), ec(), from, to, true);
        leaf("beta", "beta.test", List.of("dns:beta.test", "dns:*.beta.test"), ec(), from, to, true);
        leaf("expired", "localhost", List.of("dns:localhost", "ip:127.0.0.1"), ec(),
                now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(8)), true);
        leaf("wronghost", "wrong.example", List.of("dns:wrong.example"), ec(), from, to, true);
        leaf("client", "test-client", List.of(), ec(), from, to, true);
        leaf("untrusted", "localhost", List.of("dns:localhost", "ip:127.0.0.1"), ec(), from, to, false);
    }

    private void leaf(String name, String cn, List<String> sans, KeyPair keys, Instant from, Instant to,
            boolean signedByCa) throws Exception {
        X500Name subject = new X500Name("CN=" + cn);
        X509Certificate cert = signedByCa
                ? sign(subject, keys, caKeys.getPrivate(), new X500Name("CN=Eventide Test CA"), from, to, sans, false)
                : sign(subject, keys, keys.getPrivate(), subject, from, to, sans, false);
        X509Certificate[] chain = signedByCa ? new X509Certificate[] {cert, ca} : new X509Certificate[] {cert};
        StringBuilder chainPem = new StringBuilder();
        for (X509Certificate c : chain) {
            chainPem.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Files.writeString(dir.resolve(name + "-chain.pem"), chainPem);
        Files.writeString(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("leaf", keys.getPrivate(), PASSWORD.toCharArray(), chain);
        try (OutputStream out = Files.newOutputStream(dir.resolve(name + ".p12"))) {
            ks.store(out, PASSWORD.toCharArray());
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, PrivateKey issuerKey, X500Name issuer,
            Instant from, Instant to, List<String> sans, boolean isCa) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(from), Date.from(to), subject, subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        }
        if (sans != null && !sans.isEmpty()) {
            List<GeneralName> names = new ArrayList<>();
            for (String s : sans) {
                names.add(s.startsWith("ip:") ? new GeneralName(GeneralName.iPAddress, s.substring(3))
                        : new GeneralName(GeneralName.dNSName, s.substring(4)));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        }
        String alg = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** @return the directory holding every file */
    public Path dir() {
        return dir;
    }

    /** @return the test CA certificate, PEM */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** @return the test CA certificate */
    public Certificate caCertificate() {
        return ca;
    }

    /** @return trust in the test CA only */
    public TlsTrust trust() {
        return TlsTrust.pem(caPem());
    }

    /**
     * @param name server, server-rsa, alpha, beta, expired, wronghost, client, untrusted
     * @return that leaf's chain (leaf first) as PEM
     */
    public Path chainPem(String name) {
        return dir.resolve(name + "-chain.pem");
    }

    /** @param name as for {@link #chainPem} @return that leaf's PKCS#8 key as PEM */
    public Path keyPem(String name) {
        return dir.resolve(name + "-key.pem");
    }

    /** @param name as for {@link #chainPem} @return that leaf as PKCS#12 ({@link #PASSWORD}) */
    public Path p12Path(String name) {
        return dir.resolve(name + ".p12");
    }

    /** @param name as for {@link #chainPem} @return that leaf's key material, from PEM */
    public TlsKeys keys(String name) {
        return TlsKeys.pem(chainPem(name), keyPem(name));
    }
}
