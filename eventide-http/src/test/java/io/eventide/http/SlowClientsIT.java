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
        // Each stalled connection is first answered once: then it is open on the server for sure,
        // with no waiting on a count (the test used to poll every millisecond).
        List<SocketChannel> stalled = openStalled(server.port(), 1000, true);
        try {
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
        List<SocketChannel> stalled = openStalled(server.port(), 300, false);
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

    /**
     * Two pipelined requests, both answered on the one connection, and then the close: a server
     * that closed after every response (which the old single-request version of this test let
     * pass) answers only the first.
     */
    @Test
    void idleKeepAliveConnectionsAreClosed() throws Exception {
        HttpServer server = TestServers.start(HttpOptions.builder().headerTimeout(Duration.ofSeconds(10))
                .keepAliveTimeout(Duration.ofMillis(100)).sweepInterval(Duration.ofMillis(20))
                .build(), s -> s.get("/ok", (req, res) -> res.end("ok")));
        try (RawHttp c = new RawHttp(server.port())) {
            String reply = c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
                    .readUntilClose();
            assertThat(RawHttp.occurrences(reply, "HTTP/1.1 200 ")).isEqualTo(2);
            assertThat(reply).doesNotContain("Connection: close").endsWith("ok");
        } finally {
            TestServers.stop(server);
        }
    }

    /** Opens connections that stop in the middle of a head; with {@code answered}, after one answer. */
    private static List<SocketChannel> openStalled(int port, int n, boolean answered) throws Exception {
        List<SocketChannel> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            if (answered) {
                c.write(ByteBuffer.wrap("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()));
                readUntilOk(c);
            }
            c.write(ByteBuffer.wrap("GET /ok HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes()));
            list.add(c);
        }
        return list;
    }

    /** Reads (blocking, bounded by the server's answer) until the body "ok" of one response. */
    private static void readUntilOk(SocketChannel c) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(512);
        while (!sb.toString().endsWith("\r\n\r\nok")) {
            if (c.read(buf) < 0) {
                throw new AssertionError("server closed a connection before answering it: " + sb);
            }
            buf.flip();
            sb.append(java.nio.charset.StandardCharsets.ISO_8859_1.decode(buf));
            buf.clear();
        }
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
