package io.eventide.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.cli.Host;
import io.eventide.cli.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
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
        HostConfig cfg = HostConfig.of(Map.of("port", "0", "host", "127.0.0.1", "loops", "2", "shutdown-grace-ms", "5000",
                "admission.max-lag-ms", "5000"));
        Host host = Host.create(cfg);
        Demo.install(host, uploads);
        host.start();
        Path shots = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        try {
            BrowserTools.runDemoE2e("http://127.0.0.1:" + host.http().port() + "/", shots, Map.of(), "[e2e] ");
            assertThat(shots.resolve("demo.png")).exists();
        } finally {
            host.drain().join();
        }
    }
}
