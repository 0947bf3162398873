package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hosted app over HTTPS from {@code tls.cert}/{@code tls.key}, reloaded without a restart. */
class HostTlsIT {
    /** A self-signed localhost certificate and its PKCS#8 key, made by openssl (a real peer's tool). */
    static void openssl(Path cert, Path key, String cn) throws Exception {
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "2", "-subj", "/CN=" + cn, "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString());
    }

    /** @return exit code and output of a command */
    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + out;
    }

    @Test
    void certAndKeyGoTogetherAndMustBeReadable() {
        assertThatThrownBy(() -> HostConfig.of(Map.of("tls.cert", "/etc/hostname")).tls())
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.cert and tls.key go together");
        assertThatThrownBy(() -> HostConfig.of(Map.of("tls.cert", "/nonexistent/c.pem", "tls.key", "/nonexistent/k.pem"))
                .tls()).isInstanceOf(ConfigException.class).hasMessageContaining("cannot read /nonexistent/c.pem");
        assertThat(HostConfig.of(Map.of()).tls()).isNull();
    }

    @Test
    void servesHttpsFromConfigAndReloadsRenewedFiles(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        openssl(cert, key, "first");
        Path renewedCert = dir.resolve("renewed-cert.pem");
        Path renewedKey = dir.resolve("renewed-key.pem");
        openssl(renewedCert, renewedKey, "renewed");
        Host host = Host.create(HostConfig.of(Map.of("port", "0", "host", "127.0.0.1", "loops", "1",
                "tls.cert", cert.toString(), "tls.key", key.toString(), "admission.max-lag-ms", "60000")));
        host.start();
        String url = "https://localhost:" + host.http().port() + "/healthz";
        try {
            assertThat(run("curl", "-sS", "--cacert", cert.toString(), url)).isEqualTo("0:ok");
            // curl trusting only the renewed certificate refuses the one in force (exit 60) ...
            assertThat(run("curl", "-s", "-o", "/dev/null", "--cacert", renewedCert.toString(), url)).startsWith("60:");
            // ... until the files are replaced and reloaded (kill -HUP calls the same), no restart.
            Files.copy(renewedCert, cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewedKey, key, StandardCopyOption.REPLACE_EXISTING);
            assertThat(host.reloadTls()).isTrue();
            assertThat(run("curl", "-sS", "--cacert", renewedCert.toString(), url)).isEqualTo("0:ok");
            assertThat(run("curl", "-sS", "--cacert", renewedCert.toString(),
                    "https://localhost:" + host.http().port() + "/metrics")).contains("eventide_tls_handshakes_total");
        } finally {
            host.drain().join();
        }
    }
}
