package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, defect 11: {@code /metrics} must pass Prometheus's own linter ({@code promtool check
 * metrics}; it failed on a gauge with {@code quantile} labels), and the request-duration histogram
 * must say which route and method each request took.
 */
class MetricsFormatIT {
    @Test
    void metricsPassPromtoolAndTheLatencyHistogramHasRouteAndMethod() throws Exception {
        Path promtool = promtool();
        // Admission control off in effect: on a loaded machine a cold loop lags past the default
        // 200 ms and would answer 503 before any route ran, which is not what this test is about.
        Host host = Host.create(HostConfig.of(Map.of("port", "0", "host", "127.0.0.1", "loops", "1",
                "admission.max-lag-ms", "60000")));
        host.http().get("/hello/:name", (req, res) -> res.end("hi " + req.param("name")));
        host.start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + host.http().port();
            for (String path : new String[] {"/hello/a", "/hello/b", "/nope"}) {
                client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), BodyHandlers.discarding());
            }
            client.send(HttpRequest.newBuilder(URI.create(base + "/hello/c")).method("PURGE",
                    HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding());
            String metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    BodyHandlers.ofString()).body();
            assertThat(metrics).contains(
                    "eventide_http_request_duration_seconds_count{method=\"GET\",route=\"/hello/:name\"} 2",
                    "eventide_http_request_duration_seconds_count{method=\"GET\",route=\"none\"} 1",
                    "eventide_http_request_duration_seconds_count{method=\"other\",route=\"/hello/:name\"} 1",
                    "eventide_loop_lag_seconds{loop=", "quantile=\"0.99\"", "eventide_loop_lag_max_seconds{loop=",
                    "# TYPE eventide_buffers_leaked_total counter", "eventide_buffers_leaked_total ",
                    "# TYPE eventide_buffers_outstanding gauge");
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
            check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.exitValue()).as("promtool check metrics said:%n%s", verdict).isZero();
            assertThat(verdict).as("lint findings").isBlank();
        } finally {
            host.drain().join();
        }
    }

    /** promtool from Debian's prometheus package, installed when missing (as root, like CI). */
    private static Path promtool() throws IOException, InterruptedException {
        Path p = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(p)) {
            Process install = new ProcessBuilder("bash", "-c", "apt-get -o DPkg::Lock::Timeout=600 update -qq && "
                    + "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "
                    + "--no-install-recommends prometheus").redirectErrorStream(true).start();
            String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            install.waitFor(600, TimeUnit.SECONDS);
            assertThat(Files.isExecutable(p)).as("promtool could not be installed (apt-get install prometheus):%n%s", out)
                    .isTrue();
        }
        return p;
    }
}
