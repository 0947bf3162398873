package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.fs.FilePool;
import io.eventide.core.fs.FileSystem;
import io.eventide.core.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIT {
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static HostConfig config(int loops, long maxLagMs) {
        return HostConfig.of(Map.of("port", "0", "host", "127.0.0.1", "loops", Integer.toString(loops),
                "shutdown-grace-ms", "5000", "admission.max-lag-ms", Long.toString(maxLagMs),
                "admission.max-worker-queue", "100"));
    }

    HttpResponse<String> get(Host host, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.http().port() + path)).build(),
                BodyHandlers.ofString());
    }

    @Test
    void theTransportKeyPutsTheLoopsOnEpoll() throws Exception {
        Map<String, String> m = new java.util.HashMap<>(Map.of("port", "0", "host", "127.0.0.1", "loops", "2",
                "shutdown-grace-ms", "5000", "transport", "epoll"));
        Host host = Host.create(HostConfig.of(m));
        host.http().get("/hello", (req, res) -> res.end("hi over " + req.loop().transport()));
        host.start();
        try {
            assertThat(host.group().loop(0).transport()).isEqualTo(io.eventide.core.Transport.EPOLL);
            for (int i = 0; i < 4; i++) {
                assertThat(get(host, "/hello").body()).isEqualTo("hi over EPOLL");
            }
        } finally {
            host.drain().join();
        }
    }

    @Test
    void healthReadinessAndPrometheusMetrics() throws Exception {
        Host host = Host.create(config(2, 1000));
        host.http().get("/hello", (req, res) -> res.end("hi"));
        host.start();
        try {
            assertThat(get(host, "/healthz").body()).isEqualTo("ok\n");
            assertThat(get(host, "/readyz").statusCode()).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                assertThat(get(host, "/hello").body()).isEqualTo("hi");
            }
            String metrics = get(host, "/metrics").body();
            assertThat(metrics).contains("eventide_loop_lag_seconds{loop=", "eventide_loop_busy_ratio{",
                    "eventide_loop_queued_tasks{", "eventide_connections_open ", "eventide_connections_accepted_total ",
                    "eventide_http_responses_total{code=\"2xx\"}", "eventide_http_request_duration_seconds_bucket{",
                    "eventide_http_received_bytes_total ", "eventide_worker_queue_depth ",
                    "eventide_fs_queue_depth ", "eventide_fs_rejected_total ",
                    "eventide_watchdog_reports_total ", "eventide_admission_shed_total ", "jvm_memory_used_bytes{");
        } finally {
            host.drain().join();
        }
        assertThat(host.isDraining()).isTrue();
    }

    /**
     * The file pool's queue depth as /metrics reports it, not just its name: every file-pool thread
     * blocked opening a FIFO nobody writes, two more reads queued behind them, then released.
     */
    @Test
    void theFilePoolsQueueDepthAndActivityAreInMetrics(@TempDir Path dir) throws Exception {
        Host host = Host.create(config(1, 1000));
        host.start();
        FilePool pool = FilePool.of(host.group());
        List<Path> fifos = new ArrayList<>();
        for (int i = 0; i < pool.threads(); i++) {
            Path fifo = dir.resolve("fifo-" + i);
            Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
            assertThat(mk.waitFor()).as("mkfifo exit code").isZero();
            fifos.add(fifo);
        }
        Path plain = Files.writeString(dir.resolve("plain.txt"), "plain");
        EventLoop loop = host.group().loop(0);
        List<Promise<String>> reads = new ArrayList<>();
        boolean released = false;
        try {
            CompletableFuture<Void> issued = new CompletableFuture<>();
            loop.execute(() -> {
                FileSystem fs = FileSystem.of(loop);
                fifos.forEach(f -> reads.add(fs.readString(f))); // each holds a pool thread in open()
                reads.add(fs.readString(plain));
                reads.add(fs.readString(plain));
                issued.complete(null);
            });
            issued.get(30, TimeUnit.SECONDS);
            // The FIFO reads are first in line, so the threads take them whatever the timing; the
            // two plain reads then wait in the queue until a FIFO is written.
            String metrics = awaitMetric(host, loop, "eventide_fs_queue_depth", 2);
            assertThat(metric(metrics, "eventide_fs_active")).isEqualTo(pool.threads());
            for (Path f : fifos) {
                try (FileOutputStream w = new FileOutputStream(f.toFile())) { // unblocks a reader's open
                    w.write(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            released = true;
            for (int i = 0; i < fifos.size(); i++) {
                assertThat(reads.get(i).join(Duration.ofSeconds(30))).isEqualTo("fifo-" + i);
            }
            assertThat(reads.get(fifos.size()).join(Duration.ofSeconds(30))).isEqualTo("plain");
            assertThat(reads.get(fifos.size() + 1).join(Duration.ofSeconds(30))).isEqualTo("plain");
            metrics = awaitMetric(host, loop, "eventide_fs_queue_depth", 0);
            assertThat(metric(metrics, "eventide_fs_active")).isZero();
        } finally {
            if (!released) {
                for (Path f : fifos) { // never leave a pool thread blocked for the next test
                    // Read-write: on Linux opening a FIFO so never blocks, with a reader or without.
                    new RandomAccessFile(f.toFile(), "rw").close();
                }
            }
            host.drain().join();
        }
    }

    /** Scrapes /metrics until {@code name} has {@code value}, a 20 ms loop timer between scrapes; returns the page. */
    private String awaitMetric(Host host, EventLoop loop, String name, double value) throws Exception {
        String page = "";
        for (int i = 0; i < 500; i++) {
            page = get(host, "/metrics").body();
            if (metric(page, name) == value) {
                return page;
            }
            CompletableFuture<Void> tick = new CompletableFuture<>();
            loop.execute(() -> loop.setTimeout(20, () -> tick.complete(null)));
            tick.get(10, TimeUnit.SECONDS);
        }
        assertThat(metric(page, name)).as(name + " in /metrics after 500 scrapes").isEqualTo(value);
        return page;
    }

    private static double metric(String page, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(page);
        assertThat(m.find()).as("%s in /metrics:%n%s", name, page).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void readinessWaitsForTheAppsGatesAndFailsAsSoonAsADrainBegins() throws Exception {
        Host host = Host.create(config(1, 1000));
        io.eventide.core.Promise<String> warmed = host.group().loop(0).promise();
        host.readyAfter(warmed);
        host.start();
        try {
            HttpResponse<String> starting = get(host, "/readyz");
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(starting.body()).isEqualTo("starting\n");
            assertThat(get(host, "/healthz").statusCode()).isEqualTo(200);
            host.group().loop(0).execute(() -> warmed.resolve("warm"));
            HttpResponse<String> r = get(host, "/readyz");
            for (int i = 0; i < 200 && r.statusCode() != 200; i++) {
                r = get(host, "/readyz"); // the gate completes on the loop, readiness follows on its own thread
            }
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(host.isReady()).isTrue();
        } finally {
            host.drain().join();
        }
        assertThat(host.isReady()).isFalse();
    }

    @Test
    void reusePortLetsTwoHostsShareOnePort() throws Exception {
        Map<String, String> settings = Map.of("port", "0", "host", "127.0.0.1", "loops", "1", "reuse-port", "true");
        Host first = Host.create(HostConfig.of(settings));
        first.http().get("/who", (req, res) -> res.end("first"));
        first.start();
        Map<String, String> same = new java.util.HashMap<>(settings);
        same.put("port", Integer.toString(first.port()));
        Host second = Host.create(HostConfig.of(same));
        second.http().get("/who", (req, res) -> res.end("second"));
        try {
            second.start();
            assertThat(second.port()).isEqualTo(first.port());
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 200 && seen.size() < 2; i++) {
                HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                seen.add(fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.port() + "/who")).build(),
                        BodyHandlers.ofString()).body());
                fresh.close();
            }
            assertThat(seen).containsExactlyInAnyOrder("first", "second");
        } finally {
            second.drain().join();
            first.drain().join();
        }
    }

    @Test
    void aLaggingLoopShedsNewRequestsWith503BeforeReadingThem() throws Exception {
        // The hog below is deliberate: a watchdog threshold above it keeps its report (which races
        // with the end of the test, so the test failed when run alone) out of this admission test.
        Map<String, String> m = new java.util.HashMap<>(Map.of("port", "0", "host", "127.0.0.1", "loops", "1",
                "shutdown-grace-ms", "5000", "admission.max-lag-ms", "50", "admission.max-worker-queue", "100",
                "blocked-threshold-ms", "5000"));
        Host host = Host.create(HostConfig.of(m));
        host.http().get("/hello", (req, res) -> res.end("hi"));
        host.start();
        try {
            // Hold the only loop with CPU work for 300 ms; the request below waits in its socket and
            // is read right after, when the loop is ~300 ms late.
            CompletableFuture<Void> started = new CompletableFuture<>();
            host.group().loop(0).execute("cpu-hog", () -> {
                started.complete(null);
                long end = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
            started.join();
            HttpResponse<String> r = get(host, "/hello");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(host.metrics().shedCount()).isEqualTo(1);
            assertThat(get(host, "/healthz").statusCode()).isEqualTo(200);
        } finally {
            host.drain().join();
        }
    }

    @Test
    void configComesFromEnvironmentThenFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("eventide.properties");
        Files.writeString(file, "port=9000\nloops=3\ngzip=true\nadmission.max-lag-ms=75\n");
        HostConfig c = HostConfig.from(Map.of("PORT", "7000"), file, Map.of(), Map.of());
        assertThat(c.port()).isEqualTo(7000);
        assertThat(c.loops()).isEqualTo(3);
        assertThat(c.http().gzip()).isTrue();
        assertThat(c.maxLag()).isEqualTo(Duration.ofMillis(75));
    }

    /** A line reader whose every read is bounded. */
    interface LineSource {
        String readLine() throws Exception;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(classes = {DrainApp.class, ListeningDrainApp.class})
    void sigtermDuringActiveRequestsLosesNoneAndExitsZero(Class<?> app) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(), app.getName());
        pb.environment().put("PORT", "0");
        pb.environment().put("HOST", "127.0.0.1");
        pb.environment().put("EVENTIDE_LOOPS", "2");
        // Admission control off: on a loaded machine a lagging loop would shed the very requests
        // this test counts on.
        pb.environment().put("EVENTIDE_ADMISSION_MAX_LAG_MS", "600000");
        pb.environment().put("EVENTIDE_ADMISSION_MAX_WORKER_QUEUE", Integer.toString(Integer.MAX_VALUE));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // Lines arrive through a queue so every wait is bounded: a child that stalls fails the test
        // with its output instead of hanging the build.
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try {
                for (String l = reader.readLine(); l != null; l = reader.readLine()) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                lines.add("(output closed: " + e + ")");
            }
            lines.add("<eof>");
        });
        LineSource out = () -> {
            String l = lines.poll(60, java.util.concurrent.TimeUnit.SECONDS);
            if (l == null) {
                p.toHandle().destroyForcibly();
                throw new AssertionError("the drained app printed nothing for 60 s");
            }
            return l.equals("<eof>") ? null : l;
        };
        String line = out.readLine();
        // On a loaded machine the watchdog may report a slow start (class loading) first: skip it.
        while (line != null && !line.startsWith("eventide: listening")) {
            line = out.readLine();
        }
        assertThat(line).as("startup line").startsWith("eventide: listening on http://127.0.0.1:").contains("2 loops", "pid " + p.pid());
        int port = Integer.parseInt(line.replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1"));
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?i=" + i)).build(),
                    BodyHandlers.ofString()));
        }
        for (int arrived = 0; arrived < 20; ) {
            String l = out.readLine();
            assertThat(l).as("server output (responses so far: %s)", inFlight.stream().filter(CompletableFuture::isDone)
                    .map(f -> String.valueOf(f.join().statusCode())).toList()).isNotNull();
            if (l.startsWith("arrived")) {
                arrived++;
            }
        }
        p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = inFlight.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("done " + i);
        }
        StringBuilder rest = new StringBuilder();
        for (String l = out.readLine(); l != null; l = out.readLine()) {
            rest.append(l).append('\n');
        }
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("exited; output:\n%s", rest).isTrue();
        assertThat(p.exitValue()).as("exit code; output:\n%s", rest).isZero();
        assertThat(rest.toString()).contains("[eventide-drain] INFO io.eventide.host - draining (signal received",
                "[eventide-drain] INFO io.eventide.host - drained, exiting");
    }
}
