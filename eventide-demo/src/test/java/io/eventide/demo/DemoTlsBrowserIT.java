package io.eventide.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.cli.Host;
import io.eventide.cli.HostConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./eventide demo --tls} in headless Chromium: the page over https with the demo's own
 * self-signed certificate, its dashboard events, its chat over wss:// and an upload. And curl,
 * trusting that certificate, gets the page, while plaintext to the port is refused and counted.
 */
class DemoTlsBrowserIT {
    @Test
    @Timeout(600)
    void theDemoWorksOverHttpsInARealBrowser(@TempDir Path uploads, @TempDir Path certs) throws Exception {
        HostConfig cfg = HostConfig.of(Map.of("port", "0", "host", "127.0.0.1", "loops", "2", "shutdown-grace-ms", "5000",
                "admission.max-lag-ms", "5000"));
        Host host = Host.create(cfg);
        Demo.install(host, uploads);
        SelfSigned cert = SelfSigned.create(certs);
        host.http().tls(cert.serverTls());
        host.start();
        String base = "https://127.0.0.1:" + host.http().port() + "/";
        Path shots = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        try {
            assertThat(curl("-sS", "--cacert", cert.certificate().toString(), "-o", "/dev/null", "-w", "%{http_code}",
                    "https://localhost:" + host.http().port() + "/")).isEqualTo("200");
            curl("-s", "-o", "/dev/null", "--max-time", "20", "http://127.0.0.1:" + host.http().port() + "/");
            assertThat(host.http().tlsStats().plaintext()).isEqualTo(1);
            assertThat(curl("-sS", "--cacert", cert.certificate().toString(), "https://localhost:" + host.http().port()
                    + "/metrics")).contains("eventide_tls_handshakes_total").contains("eventide_tls_plaintext_rejected_total 1.0");
            BrowserTools.runDemoE2e(base, shots, Map.of("E2E_TLS", "1"), "[e2e-tls] ");
            assertThat(shots.resolve("demo-tls.png")).exists();
        } finally {
            host.drain().join();
        }
    }

    /** Runs curl; returns its stdout (any exit code: the caller checks what it needs). */
    static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
