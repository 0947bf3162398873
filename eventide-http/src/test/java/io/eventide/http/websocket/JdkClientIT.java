package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Interoperability with an independent client: the JDK's java.net.http.WebSocket. */
class JdkClientIT {
    static WsTestServer server;
    static final BlockingQueue<String> serverClosed = new LinkedBlockingQueue<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = WsTestServer.start(app -> {
            app.get("/echo", WebSockets.handler(WebSocketOptions.defaults().subprotocols("echo.v1"), ws -> {
                ws.onText(t -> {
                    if (t.equals("close please")) {
                        ws.close(4001, "server says bye");
                    } else {
                        ws.sendText(t);
                    }
                });
                ws.onBinary(ws::sendBinary);
                ws.onClose((code, reason) -> serverClosed.add(code + " " + reason));
            }));
            app.get("/ping", WebSockets.handler(WebSocketOptions.defaults().keepAlive(Duration.ofMillis(20),
                    Duration.ofSeconds(5)), ws -> ws.onText(ws::sendText)));
            app.get("/silent", WebSockets.handler(WebSocketOptions.defaults().keepAlive(Duration.ofMillis(20),
                    Duration.ofMillis(50)), ws -> ws.onClose((code, reason) -> serverClosed.add(code + " " + reason))));
            app.get("/idle", WebSockets.handler(WebSocketOptions.defaults().keepAlive(Duration.ZERO, Duration.ZERO)
                    .idleTimeout(Duration.ofMillis(100)), ws -> ws.onClose((code, reason) -> serverClosed.add(code + " " + reason))));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Collects whole messages, pings and the close. */
    static final class Collector implements java.net.http.WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final CountDownLatch pings = new CountDownLatch(3);
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream bin = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bin.writeBytes(b);
            if (last) {
                messages.add(bin.toByteArray());
                bin.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(java.net.http.WebSocket ws, ByteBuffer message) {
            pings.countDown();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
            closed.complete(code + " " + reason);
            return null; // the JDK then answers with its own close frame
        }

        @Override
        public void onError(java.net.http.WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object m = messages.poll(20, TimeUnit.SECONDS);
            assertThat(m).as("a message within the safety timeout").isNotNull();
            return m;
        }
    }

    static java.net.http.WebSocket connect(String path, Collector c) {
        return HTTP.newWebSocketBuilder().subprotocols("echo.v1").buildAsync(server.ws(path), c).join();
    }

    @Test
    void echoesTextBinaryAndFragmentedMessages() throws Exception {
        Collector c = new Collector();
        java.net.http.WebSocket ws = connect("/echo", c);
        assertThat(ws.getSubprotocol()).isEqualTo("echo.v1");
        ws.sendText("hello, wörld", true).join();
        assertThat(c.next()).isEqualTo("hello, wörld");
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        ws.sendBinary(ByteBuffer.wrap(big), true).join();
        assertThat((byte[]) c.next()).isEqualTo(big);
        ws.sendText("frag", false).join();
        ws.sendText("men", false).join();
        ws.sendText("ted ✓", true).join();
        assertThat(c.next()).isEqualTo("fragmented ✓");
        ws.sendClose(4000, "client says bye").join();
        assertThat(c.closed.get(20, TimeUnit.SECONDS)).isEqualTo("4000 ");
        assertThat(serverClosed.poll(20, TimeUnit.SECONDS)).isEqualTo("4000 client says bye");
    }

    @Test
    void serverInitiatedCloseCarriesCodeAndReason() throws Exception {
        Collector c = new Collector();
        java.net.http.WebSocket ws = connect("/echo", c);
        ws.sendText("close please", true).join();
        assertThat(c.closed.get(20, TimeUnit.SECONDS)).isEqualTo("4001 server says bye");
        assertThat(serverClosed.poll(20, TimeUnit.SECONDS)).startsWith("4001");
    }

    @Test
    void keepAlivePingsAreAnsweredAndTheConnectionStays() throws Exception {
        Collector c = new Collector();
        java.net.http.WebSocket ws = connect("/ping", c);
        assertThat(c.pings.await(20, TimeUnit.SECONDS)).as("three pings").isTrue();
        ws.sendText("still here", true).join();
        assertThat(c.next()).isEqualTo("still here");
        ws.sendClose(1000, "").join();
        c.closed.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aPeerThatNeverAnswersPingsIsDropped() throws IOException, InterruptedException {
        serverClosed.clear();
        try (RawWs raw = RawWs.open(server.port(), "/silent")) {
            assertThat(raw.read().opcode()).isEqualTo(0x9);
            assertThat(raw.closedByServer()).isTrue(); // no close frame: a peer that does not read gets none
        }
        assertThat(serverClosed.poll(20, TimeUnit.SECONDS)).startsWith("1006 no pong within pong-timeout");
    }

    @Test
    void anIdleConnectionIsClosed() throws IOException, InterruptedException {
        serverClosed.clear();
        try (RawWs raw = RawWs.open(server.port(), "/idle")) {
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(serverClosed.poll(20, TimeUnit.SECONDS)).isEqualTo("1006 idle timeout");
    }

    @Test
    void gracefulShutdownSays1001() throws Exception {
        WsTestServer own = WsTestServer.start(app -> app.get("/ws", WebSockets.handler(WebSocketOptions.defaults(),
                ws -> ws.onText(ws::sendText))));
        Collector c = new Collector();
        java.net.http.WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(own.ws("/ws"), c).join();
        ws.sendText("hi", true).join();
        assertThat(c.next()).isEqualTo("hi");
        own.close(); // returns once every connection is closed, within the grace period
        assertThat(c.closed.get(20, TimeUnit.SECONDS)).isEqualTo("1001 server shutting down");
    }
}
