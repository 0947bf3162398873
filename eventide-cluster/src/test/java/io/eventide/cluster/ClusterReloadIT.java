package io.eventide.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling reload of a real 2-worker cluster under load loses nothing: keep-alive clients that
 * never retry see no socket error and no non-200; WebSockets are closed with 1001 and reconnect;
 * SSE streams end cleanly; every worker is replaced and the supervisor's reload reports success.
 */
class ClusterReloadIT {
    /** Blocking readers on virtual threads: the common pool (1 thread on 2 cores) stays free. */
    private static final java.util.concurrent.Executor VIRTUAL = r -> Thread.ofVirtual().start(r);

    @Test
    void rollingReloadUnderLoadLosesNothing(@TempDir Path dir) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(dir, List.of("-n", "2"), List.of())) {
            cluster.awaitReady(2);
            List<Long> before = cluster.pids("ready");
            assertThat(before).hasSize(2);
            HttpClient http = HttpClient.newHttpClient();
            Sockets sockets = new Sockets(http, cluster.port, 40);
            List<CompletableFuture<String>> sse = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sse.add(CompletableFuture.supplyAsync(() -> readSse(cluster.port), VIRTUAL));
            }
            sockets.awaitOpen(40);
            ClusterProcess.Result reload;
            try (LoadClients load = new LoadClients(cluster.port, 48)) {
                awaitRequests(load, 2000);
                reload = cluster.command("reload");
                long afterReload = load.ok();
                awaitRequests(load, afterReload + 2000);
                load.stop();
                assertThat(load.errors.get()).as("socket errors; first failures %s", load.failures).isZero();
                assertThat(load.bad.get()).as("non-200 responses; first %s", load.failures).isZero();
                assertThat(load.reconnects.get()).as("clients told Connection: close by draining workers").isPositive();
            }
            assertThat(reload.status()).as("reload output:\n%s", reload.output()).isZero();
            assertThat(reload.output()).contains("reloading 2 workers one by one", "ok reloaded 2 workers");
            List<Long> after = cluster.pids("ready");
            assertThat(after).hasSize(2).doesNotContainAnyElementsOf(before);
            for (CompletableFuture<String> s : sse) {
                assertThat(s.get(60, TimeUnit.SECONDS)).as("SSE stream ending").endsWith("0\r\n\r\n");
            }
            // Every socket was on an old worker, so each got 1001 at least once (one that reconnected
            // to a worker not yet replaced gets it again), and each 1001 was followed by a reconnect.
            assertThat(sockets.goingAway.get()).as("WebSockets closed with 1001 Going Away").isGreaterThanOrEqualTo(40);
            sockets.awaitOpen(40 + sockets.goingAway.get());
            assertThat(sockets.errors.get()).as("WebSocket errors").isZero();
            assertThat(sockets.otherCodes).as("close codes other than 1001").isEmpty();
            assertThat(cluster.terminate()).as("exit status after SIGTERM").isZero();
        }
    }

    private static void awaitRequests(LoadClients load, long atLeast) throws InterruptedException {
        for (int i = 0; i < 1200 && load.ok() < atLeast; i++) {
            Thread.sleep(50); // polling a counter, bounded: 60 s at most
        }
        assertThat(load.ok()).as("requests served (errors %s: %s)", load.errors, load.failures).isGreaterThanOrEqualTo(atLeast);
    }

    /** Reads one SSE stream to its end: the raw bytes (chunked) as text, "error: ..." if reset. */
    private static String readSse(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(90_000);
            s.getOutputStream().write("GET /sse HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "error: " + e;
        }
    }

    /** WebSockets that reconnect when the server says 1001 Going Away. */
    static final class Sockets implements WebSocket.Listener {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger goingAway = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final Set<Integer> otherCodes = java.util.Collections.synchronizedSet(new HashSet<>());
        private final HttpClient http;
        private final URI uri;

        Sockets(HttpClient http, int port, int n) {
            this.http = http;
            this.uri = URI.create("ws://127.0.0.1:" + port + "/ws");
            for (int i = 0; i < n; i++) {
                connect();
            }
        }

        private void connect() {
            http.newWebSocketBuilder().buildAsync(uri, this).whenComplete((ws, err) -> {
                if (err != null) {
                    errors.incrementAndGet();
                } else {
                    open.incrementAndGet();
                }
            });
        }

        void awaitOpen(int n) throws InterruptedException {
            for (int i = 0; i < 1200 && open.get() < n; i++) {
                Thread.sleep(50); // polling a counter, bounded
            }
            assertThat(open.get()).as("WebSockets opened (errors %s, close codes %s)", errors, otherCodes).isGreaterThanOrEqualTo(n);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (statusCode == 1001) {
                goingAway.incrementAndGet();
                connect();
            } else {
                otherCodes.add(statusCode);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            errors.incrementAndGet();
        }
    }
}
