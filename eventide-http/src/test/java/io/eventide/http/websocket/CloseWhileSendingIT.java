package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, defect 7: a message over the limit while the peer is still sending it. The server used
 * to close the socket with unread data in it, so the kernel reset the connection and the peer saw
 * 1006 instead of the 1009 close frame. Now the server sends its close frame, then keeps reading
 * (and dropping) until the peer's close frame or the close timeout.
 */
class CloseWhileSendingIT {
    static final int LIMIT = 64 * 1024;

    @Test
    void aTooBigMessageStillBeingSentGets1009NotAReset() throws Exception {
        WebSocketOptions opts = WebSocketOptions.defaults().maxMessageBytes(LIMIT);
        try (WsTestServer server = WsTestServer.start(app -> app.get("/echo", WebSockets.handler(opts,
                ws -> ws.onBinary(ws::sendBinary))))) {
            for (int round = 0; round < 3; round++) {
                try (RawWs ws = RawWs.open(server.port(), "/echo")) {
                    assertThat(ws.status()).isEqualTo(101);
                    AtomicBoolean stop = new AtomicBoolean();
                    CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> sendHuge(ws, stop));
                    RawWs.Frame close;
                    try {
                        close = ws.readUntilClose();
                    } finally {
                        stop.set(true);
                    }
                    assertThat(close.closeCode()).as("round %d", round).isEqualTo(WebSocket.MESSAGE_TOO_BIG);
                    sent.join();
                    ws.send(RawWs.masked(0x8, RawWs.closePayload(WebSocket.MESSAGE_TOO_BIG, "")));
                    assertThat(ws.closedByServer()).isTrue();
                }
            }
        }
    }

    /** One 8 MiB binary frame, its payload sent in 64 KiB writes until told to stop or cut off. */
    private static void sendHuge(RawWs ws, AtomicBoolean stop) {
        int total = 8 << 20;
        ByteBuffer head = ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127)).putLong(total);
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        head.put(key);
        byte[] chunk = new byte[64 * 1024];
        try {
            ws.send(java.util.Arrays.copyOf(head.array(), head.position()));
            for (int sent = 0; sent < total && !stop.get(); sent += chunk.length) {
                ws.send(chunk);
            }
        } catch (IOException e) {
            // The server stopped taking bytes (reset, or closed after our close): the reader decides.
        }
    }
}
