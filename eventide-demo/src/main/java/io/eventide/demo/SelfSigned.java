package io.eventide.demo;

import io.eventide.core.tls.ServerTls;
import io.eventide.core.tls.TlsException;
import io.eventide.core.tls.TlsKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and 127.0.0.1, made with the JDK's own
 * {@code keytool} (nothing to download), for {@code ./eventide demo --tls}: an EC P-256 key in a
 * PKCS#12 store, and the certificate as PEM, so that {@code curl --cacert} can trust it. Browsers
 * warn about a self-signed certificate; the demo says so.
 *
 * <p><b>Threading:</b> main thread at startup: it runs {@code keytool} and waits.
 */
public final class SelfSigned {
    private final Path store;
    private final Path certificate;
    private final char[] password;

    private SelfSigned(Path store, Path certificate, char[] password) {
        this.store = store;
        this.certificate = certificate;
        this.password = password;
    }

    /**
     * @param dir where the files go (a new temporary directory, say)
     * @return the certificate, made now
     */
    public static SelfSigned create(Path dir) {
        byte[] pw = new byte[12];
        new SecureRandom().nextBytes(pw);
        String password = HexFormat.of().formatHex(pw);
        Path store = dir.resolve("localhost.p12");
        Path pem = dir.resolve("localhost.pem");
        keytool(password, "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1", "-validity", "30",
                "-keystore", store.toString(), "-keypass", password);
        keytool(password, "-exportcert", "-rfc", "-alias", "localhost", "-keystore", store.toString(), "-file",
                pem.toString());
        return new SelfSigned(store, pem, password.toCharArray());
    }

    private static void keytool(String password, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", password, "-noprompt"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) { // blocking-ok: main thread, startup
                throw new TlsException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new TlsException("cannot run keytool from " + System.getProperty("java.home") + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TlsException("interrupted while making a certificate", e);
        }
    }

    /** @return the server configuration: this certificate, ALPN left to the HTTP server */
    public ServerTls serverTls() {
        return ServerTls.of(TlsKeys.pkcs12(store, password));
    }

    /** @return the certificate as PEM, for {@code curl --cacert} */
    public Path certificate() {
        return certificate;
    }
}
