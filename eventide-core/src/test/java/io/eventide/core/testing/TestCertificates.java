package io.eventide.core.testing;

import io.eventide.core.tls.TlsKeys;
import io.eventide.core.tls.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates for TLS tests, made once per test JVM with the JDK's {@code keytool} (no network,
 * no third-party library): a test CA, and leaves it signed for {@code localhost}/127.0.0.1, for
 * other names (SNI), an expired one, one for the wrong host, a client certificate (mutual TLS), and
 * a self-signed one nobody trusts. Each leaf exists as PEM (chain + PKCS#8 key) and PKCS#12.
 *
 * <p><b>Threading:</b> any thread; the first call generates (seconds), later calls return at once.
 */
public final class TestCertificates {
    /** Password of every PKCS#12 file here. */
    public static final String PASSWORD = "changeit";
    private static TestCertificates instance;

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** @return the certificates, generated on first use */
    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                Path d = Files.createTempDirectory("eventide-tls-");
                d.toFile().deleteOnExit();
                TestCertificates c = new TestCertificates(d);
                c.generate();
                instance = c;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private void generate() throws IOException {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Eventide Test CA", "-ext", "bc:c", "-validity", "3650", "-keystore", p12("ca"));
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", p12("ca"), "-file", file("ca.pem"));
        leaf("server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", null, "EC");
        leaf("server-rsa", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", null, "RSA");
        leaf("alpha", "CN=alpha.test", "SAN=dns:alpha.test", null, "EC");
        leaf("beta", "CN=beta.test", "SAN=dns:beta.test,dns:*.beta.test", null, "EC");
        leaf("expired", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", "-10d", "EC");
        leaf("wronghost", "CN=wrong.example", "SAN=dns:wrong.example", null, "EC");
        leaf("client", "CN=test-client", null, null, "EC");
        // Self-signed, not under the test CA: untrusted by every client here.
        keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "365", "-keystore", p12("untrusted"));
        exportPem("untrusted");
    }

    private void leaf(String name, String dn, String san, String startDate, String alg) throws IOException {
        List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", "leaf", "-keyalg", alg, "-dname", dn,
                "-validity", "365", "-keystore", p12(name)));
        if (alg.equals("EC")) {
            gen.addAll(List.of("-groupname", "secp256r1"));
        } else {
            gen.addAll(List.of("-keysize", "2048"));
        }
        keytool(gen.toArray(new String[0]));
        keytool("-certreq", "-alias", "leaf", "-keystore", p12(name), "-file", file(name + ".csr"));
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", p12("ca"), "-infile",
                file(name + ".csr"), "-outfile", file(name + ".crt"), "-rfc", "-validity",
                startDate != null ? "2" : "365"));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        if (startDate != null) {
            sign.addAll(List.of("-startdate", startDate));
        }
        keytool(sign.toArray(new String[0]));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", p12(name), "-file", file("ca.pem"));
        keytool("-importcert", "-alias", "leaf", "-keystore", p12(name), "-file", file(name + ".crt"));
        exportPem(name);
    }

    /** Writes name-chain.pem (leaf then CA) and name-key.pem (PKCS#8) from name.p12. */
    private void exportPem(String name) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) ks.getKey("leaf", PASSWORD.toCharArray());
            StringBuilder chain = new StringBuilder();
            for (java.security.cert.Certificate c : ks.getCertificateChain("leaf")) {
                chain.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(dir.resolve(name + "-chain.pem"), chain);
            Files.writeString(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot export " + name + " as PEM", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keypass", PASSWORD));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String p12(String name) {
        return file(name + ".p12");
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    /** @return the directory holding every file */
    public Path dir() {
        return dir;
    }

    /** @return the test CA certificate, PEM */
    public Path caPem() {
        return dir.resolve("ca.pem");
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
