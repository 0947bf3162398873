package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.Promise;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class GracefulShutdownIT {
    @Test
    void inFlightRequestsCompleteWithConnectionCloseAndNewOnesAreRefused() throws Exception {
        int n = 20;
        CountDownLatch arrived = new CountDownLatch(n);
        CompletableFuture<Void> release = new CompletableFuture<>();
        HttpServer server = TestServers.start(HttpOptions.defaults(), s -> s.get("/slow", (req, res) -> {
            arrived.countDown();
            // Answer only once the test has started the close: these requests are in flight.
            release.thenRun(() -> req.loop().execute(() -> res.end("done")));
        }));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/slow")).build(), BodyHandlers.ofString()));
        }
        arrived.await();
        int port = server.port();
        io.eventide.core.Promise<Void> closed = server.close(Duration.ofSeconds(10));
        release.complete(null);
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> r = f.join();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("done");
            // Connection: close is said once the listener is closed; a response that ends before
            // that keeps its connection, which is then closed as an idle one.
        }
        closed.join();
        assertThat(server.connections()).isZero();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        server.group().close(Duration.ofSeconds(2)).join();
    }

    /** A server on one loop answering GET /hi with "hi". */
    private static HttpServer oneLoopServer() {
        HttpServer server = HttpServer.create(LoopGroup.create(LoopOptions.builder().loops(1).build()), HttpOptions.defaults());
        server.get("/hi", (req, res) -> res.end("hi"));
        server.listen("127.0.0.1", 0).join();
        return server;
    }

    /** Keeps the only loop busy until the returned latch is counted down; returns once it is held. */
    private static CountDownLatch holdLoop(LoopGroup group) throws InterruptedException {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        group.loop(0).execute(() -> {
            held.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        held.await();
        return hold;
    }

    /**
     * A client whose handshake the kernel completed (it waits in the accept queue) when the close
     * begins is served, not reset: the listener's queue is drained before the socket is closed, and
     * the fresh connection's first request is answered with Connection: close.
     */
    @Test
    void aConnectionWaitingInTheAcceptQueueIsServedNotReset() throws Exception {
        HttpServer server = oneLoopServer();
        LoopGroup group = server.group();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            // Keep the only loop busy, so the connection below stays in the accept queue and the
            // close is queued behind it.
            CountDownLatch hold = holdLoop(group);
            try (Socket queued = new Socket("127.0.0.1", server.port())) {
                queued.setSoTimeout(20_000);
                queued.getOutputStream().write("GET /hi HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                Promise<Void> closed = server.close(Duration.ofSeconds(10));
                hold.countDown();
                String response = readAll(queued.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200").contains("Connection: close").endsWith("hi");
                closed.join();
            }
        } finally {
            group.close(Duration.ofSeconds(2)).join();
        }
    }

    /**
     * A keep-alive connection used a moment ago is not closed under a request its client may be
     * sending (a proxy reusing its pooled connection): the request is answered, with Connection: close.
     */
    @Test
    void aRequestOnARecentlyUsedKeepAliveConnectionDuringTheCloseIsAnswered() throws Exception {
        HttpServer server = oneLoopServer();
        LoopGroup group = server.group();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("GET /hi HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").doesNotContain("Connection: close");
            CountDownLatch hold = holdLoop(group);
            Promise<Void> closed = server.close(Duration.ofSeconds(10));
            out.write("GET /hi HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            hold.countDown();
            assertThat(readAll(in)).startsWith("HTTP/1.1 200").endsWith("hi");
            closed.join();
        } finally {
            group.close(Duration.ofSeconds(2)).join();
        }
    }

    private static String readAll(InputStream in) throws java.io.IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Reads one response whose body is "hi" (Content-Length: 2). */
    private static String readResponse(InputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\nhi")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
