package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Slow clients cost only themselves: slowloris heads, stalled bodies, idle keep-alive. */
class SlowClientsIT {

    @Test
    void thousandStalledHeadsDoNotStopANormalClient() throws Exception {
        HttpServer server = TestServers.start(HttpOptions.builder().headerTimeout(Duration.ofSeconds(60))
                .keepAliveTimeout(Duration.ofSeconds(60)).build(),
                s -> s.get("/ok", (req, res) -> res.end("ok")));
        List<SocketChannel> stalled = openStalled(server.port(), 1000);
        try {
            // Every stalled connection is open on the server while the normal client is served.
            awaitConnections(server, 1000);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 50; i++) {
                var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ok"))
                        .build(), BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("ok");
            }
            assertThat(server.connections()).isGreaterThanOrEqualTo(1000);
        } finally {
            for (SocketChannel c : stalled) {
                c.close();
            }
            TestServers.stop(server);
        }
    }

    @Test
    void stalledHeadsGet408AndAreClosedAfterTheHeaderTimeout() throws Exception {
        HttpServer server = TestServers.start(HttpOptions.builder().headerTimeout(Duration.ofMillis(200))
                .keepAliveTimeout(Duration.ofSeconds(60)).sweepInterval(Duration.ofMillis(50))
                .build(), s -> s.get("/ok", (req, res) -> res.end("ok")));
        List<SocketChannel> stalled = openStalled(server.port(), 300);
        try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (SocketChannel c : stalled) {
                replies.add(CompletableFuture.supplyAsync(() -> readAll(c), vt));
            }
            for (CompletableFuture<String> r : replies) {
                assertThat(r.join()).startsWith("HTTP/1.1 408 ").contains("header-timeout");
            }
        } finally {
            for (SocketChannel c : stalled) {
                c.close();
            }
            TestServers.stop(server);
        }
    }

    @Test
    void aStalledBodyIsCutOffButOneHeldByServerBackpressureIsNot() throws Exception {
        HttpServer server = TestServers.start(HttpOptions.builder().minBodyRate(10_000)
                .bodyRateWindow(Duration.ofMillis(100)).sweepInterval(Duration.ofMillis(20)).build(), s -> {
                    s.post("/sink", (req, res) -> req.body().onSuccess(b -> res.end("got " + b.length)));
                    s.post("/held", (req, res) -> {
                        long[] n = {0};
                        req.onData(b -> n[0] += b.remaining());
                        req.onEnd(() -> res.end("got " + n[0]));
                        req.pause(); // the server holds the body far longer than the rate window
                        req.loop().setTimeout(600, req::resume);
                    });
                });
        try {
            try (RawHttp c = new RawHttp(server.port())) {
                String reply = c.send("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nonly a few bytes")
                        .readUntilClose();
                assertThat(reply).startsWith("HTTP/1.1 408 ").contains("min-body-rate");
            }
            try (RawHttp c = new RawHttp(server.port())) {
                String reply = c.send("POST /held HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
                        .readUntilClose();
                assertThat(reply).startsWith("HTTP/1.1 200 ").endsWith("got 5");
            }
        } finally {
            TestServers.stop(server);
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() throws Exception {
        HttpServer server = TestServers.start(HttpOptions.builder().headerTimeout(Duration.ofSeconds(10))
                .keepAliveTimeout(Duration.ofMillis(100)).sweepInterval(Duration.ofMillis(20))
                .build(), s -> s.get("/ok", (req, res) -> res.end("ok")));
        try (RawHttp c = new RawHttp(server.port())) {
            String reply = c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").readUntilClose();
            assertThat(reply).startsWith("HTTP/1.1 200 ").endsWith("ok");
        } finally {
            TestServers.stop(server);
        }
    }

    private static List<SocketChannel> openStalled(int port, int n) throws Exception {
        List<SocketChannel> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            c.write(ByteBuffer.wrap("GET /ok HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes()));
            list.add(c);
        }
        return list;
    }

    private static void awaitConnections(HttpServer server, int n) {
        // Accepts are asynchronous; poll the count from the loop until it reaches n (bounded).
        for (int i = 0; i < 10_000 && server.connections() < n; i++) {
            CompletableFuture<Void> tick = new CompletableFuture<>();
            server.group().loop(0).setTimeout(1, () -> tick.complete(null));
            tick.join();
        }
        assertThat(server.connections()).isGreaterThanOrEqualTo(n);
    }

    private static String readAll(SocketChannel c) {
        try {
            StringBuilder sb = new StringBuilder();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (c.read(buf) >= 0) {
                buf.flip();
                sb.append(java.nio.charset.StandardCharsets.ISO_8859_1.decode(buf));
                buf.clear();
            }
            return sb.toString();
        } catch (java.io.IOException e) {
            return "reset: " + e;
        }
    }
}
