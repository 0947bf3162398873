package io.eventide.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster recovers: a worker killed with -9 under load is replaced while the other worker's
 * clients see nothing; a worker past the memory limit is replaced by a drain, not a kill; a reload
 * whose new worker cannot start fails and leaves the old one serving; SIGTERM stops with status 0.
 */
class ClusterRecoveryIT {
    @Test
    void killNineUnderLoadIsReplacedAndTheOtherWorkersClientsAreUnaffected(@TempDir Path dir) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(dir, List.of("-n", "2"), List.of())) {
            cluster.awaitReady(2);
            List<Long> before = cluster.pids("ready");
            long victim = before.get(0);
            long survivor = before.get(1);
            try (LoadClients load = new LoadClients(cluster.port, 32)) {
                awaitRequests(load, 1000);
                long killedAt = System.nanoTime();
                ProcessHandle.of(victim).orElseThrow().destroyForcibly();
                List<Long> now = cluster.pids("ready");
                for (int i = 0; i < 600 && (now.size() < 2 || now.contains(victim)); i++) {
                    Thread.sleep(100); // polling status, bounded: 60 s at most
                    now = cluster.pids("ready");
                }
                assertThat(now).as("ready workers after the kill").hasSize(2).contains(survivor).doesNotContain(victim);
                System.out.printf("kill -9 of pid %d: replacement ready after %.2f s%n", victim, (System.nanoTime() - killedAt) / 1e9);
                awaitRequests(load, load.ok() + 1000);
                load.stop();
                assertThat(load.bad.get()).as("non-200 responses: %s", load.failures).isZero();
                assertThat(load.errorsByPid.keySet()).as("only the killed worker's clients saw errors: %s", load.failures)
                        .isSubsetOf(Set.of(Long.toString(victim), "?"));
            }
            long replacement = cluster.pids("ready").stream().filter(p -> p != survivor).findFirst().orElseThrow();
            java.util.Set<String> answered = new java.util.HashSet<>();
            for (int i = 0; i < 400 && !answered.contains(Long.toString(replacement)); i++) {
                answered.add(getOnNewConnection(cluster.port)); // the kernel spreads new connections by hash
            }
            assertThat(answered).as("new connections reach the replacement").contains(Long.toString(replacement));
            assertThat(cluster.command("status", "--json").output()).contains("\"restarts\":1");
            assertThat(cluster.output()).anyMatch(l -> l.contains("(pid " + victim + ") exited with status 137 (SIGKILL) unexpectedly"));
            assertThat(cluster.terminate()).isZero();
        }
    }

    @Test
    void memoryLimitDrainsAndReplacesAFailedReloadKeepsTheOldWorkerSigtermExitsZero(@TempDir Path dir) throws Exception {
        Path fail = dir.resolve("broken-deploy");
        try (ClusterProcess cluster = ClusterProcess.start(dir, List.of("-n", "1", "--max-memory=400m"),
                List.of("-Xmx1g", "-Dcluster.test.fail=" + fail))) {
            cluster.awaitReady(1);
            long first = cluster.pids("ready").get(0);
            HttpClient http = HttpClient.newHttpClient();
            String grown = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port + "/grow?mb=450")).build(),
                    BodyHandlers.ofString()).body();
            assertThat(grown).contains("kept 450 MiB in " + first);
            cluster.await(l -> l.contains("(pid " + first + ") uses ") && l.contains("over the limit of 400 MiB"), "memory limit");
            cluster.awaitReady(1);
            cluster.await(l -> l.contains("(pid " + first + ") exited with status 0 after draining"), "old worker drained");
            long second = cluster.pids("ready").get(0);
            assertThat(second).isNotEqualTo(first);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port + "/pid")).build(),
                    BodyHandlers.ofString()).body()).isEqualTo(Long.toString(second));

            Files.writeString(fail, "x");
            ClusterProcess.Result reload = cluster.command("reload");
            assertThat(reload.status()).as(reload.output()).isEqualTo(1);
            assertThat(reload.output()).contains("failed the new worker 1").contains("exited with status 3 before it was ready");
            assertThat(cluster.pids("ready")).containsExactly(second);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port + "/pid")).build(),
                    BodyHandlers.ofString()).body()).isEqualTo(Long.toString(second));
            assertThat(cluster.terminate()).as("exit status after SIGTERM").isZero();
            assertThat(cluster.output()).anyMatch(l -> l.contains("stopped; every worker drained and exited"));
            assertThat(Files.exists(cluster.runBase.resolve(cluster.name))).as("run directory removed").isFalse();
            assertThat(Files.readString(cluster.logDir.resolve("worker-1.log"))).contains("refusing to start");
        }
    }

    private static String getOnNewConnection(int port) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET /pid HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return LoadClients.Response.read(new java.io.BufferedInputStream(s.getInputStream())).body();
        }
    }

    private static void awaitRequests(LoadClients load, long atLeast) throws InterruptedException {
        for (int i = 0; i < 1200 && load.ok() < atLeast; i++) {
            Thread.sleep(50); // polling a counter, bounded: 60 s at most
        }
        assertThat(load.ok()).as("requests served (errors %s: %s)", load.errors, load.failures).isGreaterThanOrEqualTo(atLeast);
    }
}
