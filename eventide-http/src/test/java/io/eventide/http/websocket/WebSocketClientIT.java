package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.http.internal.websocket.ServerHandshake;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our WebSocketClient: against our server, against Node's ws server, and against broken servers. */
class WebSocketClientIT {
    static WsTestServer server;
    static LoopGroup clients;

    @BeforeAll
    static void start() {
        server = WsTestServer.start(app -> {
            WebSocketOptions opts = WebSocketOptions.defaults().subprotocols("b", "a").compressionThreshold(16);
            app.get("/echo", WebSockets.handler(opts, ws -> {
                ws.onText(ws::sendText);
                ws.onBinary(ws::sendBinary);
            }));
            app.get("/deflate", WebSockets.handler(opts.perMessageDeflate(true), ws -> ws.onText(t -> ws.sendText(t + "|" + ws.extensions()))));
            app.get("/refuse", (req, res) -> res.sendError(403, "no"));
            app.get("/eager", WebSockets.handler(opts, ws -> {
                ws.sendText("first");
                ws.sendBinary(new byte[] {2});
                ws.sendText("third");
            }));
        });
        clients = LoopGroup.create(1);
    }

    @AfterAll
    static void stop() {
        clients.close(Duration.ofSeconds(2)).join();
        server.close();
    }

    /** Connects, sends each message once the previous echo came back, and collects the echoes. */
    static CompletableFuture<String> exchange(URI uri, WebSocketOptions opts, String... messages) {
        EventLoop loop = clients.next();
        CompletableFuture<String> done = new CompletableFuture<>();
        StringBuilder got = new StringBuilder();
        WebSocketClient.connect(loop, uri, opts).whenComplete((ws, err) -> {
            if (err != null) {
                done.completeExceptionally(err);
                return;
            }
            int[] i = {0};
            ws.onText(t -> {
                got.append(t).append('\n');
                if (++i[0] < messages.length) {
                    ws.sendText(messages[i[0]]);
                } else {
                    ws.close(1000, "done");
                }
            });
            ws.onClose((code, reason) -> done.complete("protocol=" + ws.subprotocol() + "\n" + got + "close=" + code));
            ws.sendText(messages[0]);
        });
        return done;
    }

    @Test
    void echoWithSubprotocol() throws Exception {
        String big = "x".repeat(100_000);
        String out = exchange(server.ws("/echo"), WebSocketOptions.defaults().subprotocols("a", "b"), "one", big, "three")
                .get(20, TimeUnit.SECONDS);
        assertThat(out).isEqualTo("protocol=b\none\n" + big + "\nthree\nclose=1000");
    }

    @Test
    void deflateBothWays() throws Exception {
        String m = "compress me, compress me, compress me please ".repeat(50);
        WebSocketOptions on = WebSocketOptions.defaults().perMessageDeflate(true).compressionThreshold(16);
        assertThat(exchange(server.ws("/deflate"), on, m, m).get(20, TimeUnit.SECONDS))
                .isEqualTo("protocol=null\n" + m + "|permessage-deflate\n" + m + "|permessage-deflate\nclose=1000");
        String nct = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
        assertThat(exchange(server.ws("/deflate"), on.noContextTakeover(true, true), m, m).get(20, TimeUnit.SECONDS))
                .isEqualTo("protocol=null\n" + m + "|" + nct + "\n" + m + "|" + nct + "\nclose=1000");
    }

    @Test
    void messagesSentBeforeTheHandlersAreSetAreHeldNotLost() throws Exception {
        CompletableFuture<String> got = new CompletableFuture<>();
        StringBuilder sb = new StringBuilder();
        WebSocketClient.connect(clients.next(), server.ws("/eager"), WebSocketOptions.defaults()).onSuccess(ws ->
                // Set the handlers well after the server's messages came in.
                ws.loop().setTimeout(100, () -> {
                    ws.onText(t -> {
                        sb.append(t).append(' ');
                        if (t.equals("third")) {
                            got.complete(sb.toString());
                        }
                    });
                    ws.onBinary(b -> sb.append("binary:").append(b.get(0)).append(' '));
                }));
        assertThat(got.get(20, TimeUnit.SECONDS)).isEqualTo("first binary:2 third ");
    }

    @Test
    void refusedUpgradeFailsWithTheStatus() {
        Promise<WebSocket> p = WebSocketClient.connect(clients.next(), server.ws("/refuse"), WebSocketOptions.defaults());
        assertThatThrownBy(() -> p.join(Duration.ofSeconds(20))).isInstanceOf(WebSocketException.class)
                .satisfies(e -> assertThat(((WebSocketException) e).status()).isEqualTo(403));
    }

    @Test
    void interoperatesWithNodeWsServer() throws Exception {
        String script = """
                const { WebSocketServer } = require('ws');
                const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
                wss.on('listening', () => console.log(wss.address().port));
                wss.on('connection', (ws) => {
                  ws.on('message', (data, isBinary) => ws.send(isBinary ? data : data.toString() + '|node'));
                  ws.on('close', () => setTimeout(() => process.exit(0), 10));
                });
                """;
        try (NodePeers.Peer node = NodePeers.spawn(script)) {
            URI uri = URI.create("ws://127.0.0.1:" + node.firstLine().trim() + "/");
            String m = "hello node ".repeat(100);
            WebSocketOptions opts = WebSocketOptions.defaults().perMessageDeflate(true).compressionThreshold(0);
            assertThat(exchange(uri, opts, "hi", m, "bye").get(20, TimeUnit.SECONDS))
                    .isEqualTo("protocol=null\nhi|node\n" + m + "|node\nbye|node\nclose=1000");
            assertThat(node.process().waitFor(20, TimeUnit.SECONDS)).as("node saw the close").isTrue();
        }
    }

    /** A fake server that answers the handshake correctly (or not), then sends {@code frame}. */
    static int fakeServer(ServerSocket ss, boolean goodAccept, byte[] frame, BlockingQueue<Integer> clientClose) throws Exception {
        try (Socket s = ss.accept()) {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                head.write(in.read());
            }
            Matcher m = Pattern.compile("Sec-WebSocket-Key: (\\S+)").matcher(head.toString(StandardCharsets.ISO_8859_1));
            assertThat(m.find()).isTrue();
            String accept = goodAccept ? ServerHandshake.accept(m.group(1)) : ServerHandshake.accept("wrong");
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(frame);
            out.flush();
            if (goodAccept) {
                DataInputStream din = new DataInputStream(in);
                int b0 = din.readUnsignedByte();
                int b1 = din.readUnsignedByte();
                byte[] key = din.readNBytes(4);
                byte[] p = din.readNBytes(b1 & 0x7f);
                assertThat(b0 & 0x0f).as("close opcode").isEqualTo(8);
                assertThat(b1 & 0x80).as("client frames are masked").isNotZero();
                clientClose.add((((p[0] ^ key[0]) & 0xff) << 8) | ((p[1] ^ key[1]) & 0xff));
            }
        }
        return 0;
    }

    @Test
    void maskedServerFramesAreRejectedWith1002() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BlockingQueue<Integer> clientClose = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> fake = CompletableFuture.supplyAsync(() -> {
                try {
                    return fakeServer(ss, true, RawWs.masked(0x1, "masked!".getBytes()), clientClose);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<Integer> reported = new CompletableFuture<>();
            WebSocketClient.connect(clients.next(), URI.create("ws://127.0.0.1:" + ss.getLocalPort() + "/"),
                    WebSocketOptions.defaults()).onSuccess(ws -> ws.onClose((code, reason) -> reported.complete(code)));
            fake.get(20, TimeUnit.SECONDS);
            assertThat(clientClose.poll(20, TimeUnit.SECONDS)).isEqualTo(1002);
            assertThat(reported.get(20, TimeUnit.SECONDS)).isEqualTo(1002);
        }
    }

    @Test
    void wrongAcceptKeyFailsTheHandshake() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> fake = CompletableFuture.supplyAsync(() -> {
                try {
                    return fakeServer(ss, false, new byte[0], null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Promise<WebSocket> p = WebSocketClient.connect(clients.next(), URI.create("ws://127.0.0.1:" + ss.getLocalPort() + "/"),
                    WebSocketOptions.defaults());
            assertThatThrownBy(() -> p.join(Duration.ofSeconds(20))).isInstanceOf(WebSocketException.class)
                    .hasMessageContaining("Sec-WebSocket-Accept");
            fake.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void binaryFromOffHeapBuffersIsSentWhole() throws Exception {
        CompletableFuture<ByteBuffer> echoed = new CompletableFuture<>();
        ByteBuffer direct = ByteBuffer.allocateDirect(1000);
        for (int i = 0; i < 1000; i++) {
            direct.put((byte) i);
        }
        direct.flip();
        WebSocketClient.connect(clients.next(), server.ws("/echo"), WebSocketOptions.defaults()).onSuccess(ws -> {
            ws.onBinary(echoed::complete);
            ws.sendBinary(direct.duplicate());
        });
        assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo(direct);
    }
}
