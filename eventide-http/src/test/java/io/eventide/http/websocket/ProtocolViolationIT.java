package io.eventide.http.websocket;

import static io.eventide.http.websocket.RawWs.closePayload;
import static io.eventide.http.websocket.RawWs.frame;
import static io.eventide.http.websocket.RawWs.masked;
import static io.eventide.http.websocket.RawWs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.http.OverflowPolicy;
import io.eventide.http.internal.websocket.MessageDeflater;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every protocol violation over a real socket, each answered with its close code and a TCP close. */
class ProtocolViolationIT {
    static final int LIMIT = 64 * 1024;
    static WsTestServer server;

    @BeforeAll
    static void start() {
        WebSocketOptions opts = WebSocketOptions.defaults().maxMessageBytes(LIMIT);
        server = WsTestServer.start(app -> {
            app.get("/echo", WebSockets.handler(opts, ws -> {
                ws.onText(ws::sendText);
                ws.onBinary(ws::sendBinary);
            }));
            app.get("/deflate", WebSockets.handler(opts.perMessageDeflate(true), ws -> ws.onText(ws::sendText)));
            app.get("/flood/drop", WebSockets.handler(opts.maxBufferedBytes(256 * 1024, OverflowPolicy.DROP), ProtocolViolationIT::flood));
            app.get("/flood/close", WebSockets.handler(opts.maxBufferedBytes(256 * 1024, OverflowPolicy.CLOSE), ProtocolViolationIT::flood));
        });
    }

    /** On "go", sends 16 KiB messages without regard for backpressure until the budget stops it. */
    static void flood(WebSocket ws) {
        byte[] chunk = new byte[16 * 1024];
        ws.onText(t -> {
            while (ws.isOpen() && ws.dropped() < 10) {
                ws.sendBinary(chunk);
            }
            // DROP: report once the client has read its way down to the low watermark.
            ws.onDrain(() -> ws.sendText("dropped:" + ws.dropped()));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static int closeCodeAfter(String path, String extraHeader, byte[]... frames) throws IOException {
        try (RawWs ws = extraHeader == null ? RawWs.open(server.port(), path) : RawWs.open(server.port(), path, extraHeader)) {
            assertThat(ws.status()).isEqualTo(101);
            ws.send(frames);
            int code = ws.readUntilClose().closeCode();
            assertThat(ws.closedByServer()).as("TCP closed after the close frame").isTrue();
            return code;
        }
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("unmasked client frame", 1002, new byte[][] {frame(0x81, utf8("x"), false)}),
                Arguments.of("RSV1 without deflate", 1002, new byte[][] {frame(0xC1, utf8("x"), true)}),
                Arguments.of("RSV2", 1002, new byte[][] {frame(0xA1, utf8("x"), true)}),
                Arguments.of("RSV3", 1002, new byte[][] {frame(0x91, utf8("x"), true)}),
                Arguments.of("reserved data opcode 3", 1002, new byte[][] {masked(0x3, utf8("x"))}),
                Arguments.of("reserved control opcode 11", 1002, new byte[][] {masked(0xB, utf8("x"))}),
                Arguments.of("ping longer than 125", 1002, new byte[][] {masked(0x9, new byte[126])}),
                Arguments.of("fragmented ping", 1002, new byte[][] {frame(0x09, utf8("x"), true)}),
                Arguments.of("continuation without start", 1002, new byte[][] {masked(0x0, utf8("x"))}),
                Arguments.of("new message inside a fragmented one", 1002,
                        new byte[][] {frame(0x01, utf8("a"), true), masked(0x1, utf8("b"))}),
                Arguments.of("invalid UTF-8", 1007, new byte[][] {masked(0x1, new byte[] {(byte) 0xC0, (byte) 0xAF})}),
                Arguments.of("UTF-8 truncated at the end", 1007, new byte[][] {masked(0x1, new byte[] {(byte) 0xE2, (byte) 0x82})}),
                Arguments.of("close with a one-byte payload", 1002, new byte[][] {masked(0x8, new byte[] {3})}),
                Arguments.of("close reason not UTF-8", 1007,
                        new byte[][] {masked(0x8, new byte[] {3, (byte) 0xE8, (byte) 0xFF})}),
                Arguments.of("message over the limit", 1009, new byte[][] {masked(0x2, new byte[LIMIT + 1])}),
                Arguments.of("fragments over the limit", 1009,
                        new byte[][] {frame(0x02, new byte[LIMIT], true), frame(0x80, new byte[1], true)}));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("violations")
    void violationClosesWithItsCode(String what, int expected, byte[][] frames) throws IOException {
        assertThat(closeCodeAfter("/echo", null, frames)).as(what).isEqualTo(expected);
    }

    @ParameterizedTest(name = "close code {0} -> 1002")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000})
    void invalidCloseCodes(int code) throws IOException {
        assertThat(closeCodeAfter("/echo", null, masked(0x8, closePayload(code, "")))).isEqualTo(1002);
    }

    @Test
    void invalidUtf8FailsBeforeTheMessageEnds() throws IOException {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            // First fragment only: the server must not wait for the rest to find the bad sequence.
            ws.send(frame(0x01, new byte[] {'o', 'k', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, true));
            assertThat(ws.readUntilClose().closeCode()).isEqualTo(1007);
        }
    }

    @Test
    void zipBombIsRefusedWith1009() throws IOException {
        byte[] z = new MessageDeflater(9, false).compress(new byte[50 * LIMIT], 0, 50 * LIMIT);
        int code = closeCodeAfter("/deflate", "Sec-WebSocket-Extensions: permessage-deflate", frame(0xC1, z, true));
        assertThat(code).isEqualTo(1009);
    }

    @Test
    void pingIsAnsweredAndCloseIsEchoed() throws IOException {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(masked(0x9, utf8("are you there")));
            RawWs.Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.text()).isEqualTo("are you there");
            ws.send(frame(0x01, utf8("fra"), true), masked(0x9, utf8("mid")), frame(0x80, utf8("gment"), true));
            assertThat(ws.read().text()).isEqualTo("mid"); // pong between fragments
            assertThat(ws.read().text()).isEqualTo("fragment");
            ws.send(masked(0x8, closePayload(4321, "bye")));
            RawWs.Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(4321);
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void emptyCloseIsEchoedEmpty() throws IOException {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(masked(0x8, new byte[0]));
            assertThat(ws.read().payload()).isEmpty();
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void slowConsumerIsClosedWith1008() throws IOException {
        try (RawWs ws = RawWs.open(server.port(), "/flood/close", 8 * 1024)) {
            ws.send(masked(0x1, utf8("go")));
            RawWs.Frame f = ws.readUntilClose(); // reads the backlog the budget allowed, then the close
            assertThat(f.closeCode()).isEqualTo(1008);
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void slowConsumerMessagesAreDroppedAndCounted() throws IOException {
        try (RawWs ws = RawWs.open(server.port(), "/flood/drop", 8 * 1024)) {
            ws.send(masked(0x1, utf8("go")));
            RawWs.Frame f;
            do {
                f = ws.read();
            } while (f.opcode() == 0x2);
            assertThat(f.text()).isEqualTo("dropped:10");
        }
    }

    @Test
    void binaryEchoOfEveryLengthClass() throws IOException {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            for (int n : new int[] {0, 125, 126, 65_535, 65_536}) {
                byte[] b = new byte[n];
                if (n >= 4) {
                    ByteBuffer.wrap(b).putInt(0, n);
                }
                ws.send(masked(0x2, b));
                assertThat(ws.read().payload()).isEqualTo(b);
            }
        }
    }
}
