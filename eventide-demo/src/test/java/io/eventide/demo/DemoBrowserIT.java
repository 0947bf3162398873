package io.eventide.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.cli.Host;
import io.eventide.cli.HostConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo page in headless Chromium (Playwright): two pages chat, the dashboard moves under load,
 * the block button raises loop lag while offload does not, and a 60 MiB upload shows server-side
 * progress past 50% before it completes with the right SHA-256. Screenshots go to
 * {@code target/screenshots}.
 */
class DemoBrowserIT {
    @Test
    @Timeout(600)
    void theDemoWorksInARealBrowser(@TempDir Path uploads) throws Exception {
        Path chromium = BrowserTools.chromium();
        Path nodeModules = BrowserTools.playwright();
        HostConfig cfg = HostConfig.of(Map.of("port", "0", "host", "127.0.0.1", "loops", "2", "shutdown-grace-ms", "5000",
                "admission.max-lag-ms", "5000"));
        Host host = Host.create(cfg);
        Demo.install(host, uploads);
        host.start();
        Path shots = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        Path script = Path.of("src", "test", "e2e", "demo.e2e.js").toAbsolutePath();
        try {
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + host.http().port() + "/",
                    shots.toString()).redirectErrorStream(true);
            pb.environment().put("NODE_PATH", nodeModules.toString());
            pb.environment().put("CHROMIUM", chromium.toString());
            Process p = pb.start();
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        System.out.println("[e2e] " + l);
                        lines.add(l);
                    }
                } catch (java.io.IOException e) {
                    lines.add("(output closed: " + e + ")");
                }
            });
            // Bounded: a browser that hangs fails the test with its output instead of hanging CI.
            if (!p.waitFor(8, java.util.concurrent.TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("playwright run did not finish in 8 minutes:\n" + String.join("\n", lines));
            }
            reader.join(java.time.Duration.ofSeconds(30));
            assertThat(p.exitValue()).as("playwright run:\n%s", String.join("\n", lines)).isZero();
            assertThat(lines).contains("e2e: all passed");
            assertThat(shots.resolve("demo.png")).exists();
        } finally {
            host.drain().join();
        }
    }
}
