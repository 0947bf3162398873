package io.eventide.http.internal.websocket;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Timer;
import io.eventide.core.net.Connection;
import io.eventide.core.net.Protocol;
import io.eventide.http.OverflowPolicy;
import io.eventide.http.spi.SharedWriter;
import io.eventide.http.websocket.WebSocket;
import io.eventide.http.websocket.WebSocketOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A WebSocket over one {@link Connection}, for both roles: the decoder and assembler turn reads
 * into messages, the {@link FrameWriter} turns sends into frames, and this class keeps the state
 * of the close handshake.
 *
 * <p>Close handshake (RFC 6455 §7.1), in order:
 * <ol>
 *   <li>OPEN → CLOSING when we send a close frame ({@link #close}), when the peer's arrives (we echo
 *       its code, §5.5.1), or when we fail the connection (§7.1.7: send the error code, stop
 *       reading, close TCP once the frame is flushed).</li>
 *   <li>The server closes TCP as soon as both close frames crossed (§7.1.1); the client waits
 *       for the server's FIN.</li>
 *   <li>If the peer does not finish within the close timeout, the connection is destroyed.</li>
 *   <li>CLOSED when the TCP connection is gone; {@code onClose} runs then, exactly once.</li>
 * </ol>
 *
 * <p><b>Threading:</b> loop-confined (checked on every public entry point).
 */
public final class WebSocketSession implements WebSocket, MessageAssembler.Events, SharedWriter {
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    private final Connection conn;
    private final WebSocketOptions options;
    private final boolean client;
    private final String subprotocol;
    private final String extensions;
    private final FrameDecoder decoder;
    private final MessageAssembler assembler;
    private final FrameWriter writer;
    private final KeepAlive keepAlive;
    private int state = OPEN;
    private int closeCode = ABNORMAL_CLOSURE;
    private String closeReason = "";
    private boolean closeReceived;
    private Timer closeTimer;
    private long dropped;
    private List<Runnable> terminated;

    private final Inbox inbox;
    private CloseHandler onClose;
    private boolean closeNotified;
    private Runnable onDrain = () -> { };

    /**
     * @param conn the upgraded (server) or connected (client) connection
     * @param options settings
     * @param client whether we are the client (we mask, the peer must not)
     * @param subprotocol the agreed subprotocol, or null
     * @param deflate the agreed permessage-deflate parameters, or null
     */
    public WebSocketSession(Connection conn, WebSocketOptions options, boolean client, String subprotocol,
            DeflateParams deflate) {
        this.conn = conn;
        this.options = options;
        this.client = client;
        this.subprotocol = subprotocol;
        this.extensions = deflate == null ? "" : deflate.toHeader();
        MessageInflater inflater = null;
        MessageDeflater deflater = null;
        if (deflate != null) {
            // Each side inflates what the other compressed: its no_context_takeover says when to reset.
            inflater = new MessageInflater(client ? deflate.serverNoContextTakeover() : deflate.clientNoContextTakeover());
            deflater = new MessageDeflater(-1, client ? deflate.clientNoContextTakeover() : deflate.serverNoContextTakeover());
        }
        this.assembler = new MessageAssembler(this, options.maxMessageBytes(), inflater);
        this.decoder = new FrameDecoder(!client, deflate != null, assembler);
        this.writer = new FrameWriter(conn, client, deflater, options.compressionThreshold());
        this.inbox = new Inbox(conn.loop(), client, options.maxBufferedBytes(), this::run);
        this.keepAlive = new KeepAlive(conn.loop(), options.pingInterval(), options.pongTimeout(),
                () -> writer.control(Frames.PING, new byte[0]), this::pongTimedOut);
    }

    /**
     * The protocol to install on the connection ({@link Connection#protocol(Protocol, ByteBuffer)}):
     * from then on its reads are frames. Loop thread.
     *
     * @param onAttached run once installed, before any frame is read (the open handler); may be null
     * @return this session's side of the connection
     */
    public Protocol protocol(Runnable onAttached) {
        return new Protocol() {
            @Override
            public String name() {
                return client ? "websocket-client" : "websocket";
            }

            @Override
            public void attached(Connection c) {
                c.idleTimeout(options.idleTimeout());
                keepAlive.start();
                if (onAttached != null) {
                    onAttached.run();
                }
            }

            @Override
            public void onData(ByteBuffer buf) {
                WebSocketSession.this.onData(buf);
            }

            @Override
            public void onDrain() {
                run(WebSocketSession.this.onDrain);
            }

            @Override
            public void onClose(Throwable cause) {
                tcpClosed(cause);
            }

            @Override
            public void onShutdown(Connection c) {
                close(GOING_AWAY, client ? "going away" : "server shutting down");
            }
        };
    }

    /** @param buf bytes read (or replayed after the handshake) */
    public void onData(ByteBuffer buf) {
        int r = decoder.decode(buf);
        if (r > 0) {
            String why = decoder.reason() != null ? decoder.reason() : assembler.reason();
            fail(r, why);
            decoder.decode(buf); // the rest of this read: drained (looking for the close), or dropped
            buf.position(buf.limit());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Handlers and sending

    @Override
    public WebSocket onText(Consumer<String> handler) {
        checkLoop();
        inbox.onText(handler);
        return this;
    }

    @Override
    public WebSocket onBinary(Consumer<ByteBuffer> handler) {
        checkLoop();
        inbox.onBinary(handler);
        return this;
    }

    @Override
    public WebSocket onClose(CloseHandler handler) {
        checkLoop();
        this.onClose = Objects.requireNonNull(handler);
        if (state == CLOSED && !closeNotified) {
            // Closed before anyone listened (a client whose first frame was a violation, failed in
            // the very read that completed the handshake): tell the late listener, once.
            closeNotified = true;
            run(() -> handler.closed(closeCode, closeReason));
        }
        return this;
    }

    @Override
    public WebSocket onDrain(Runnable handler) {
        checkLoop();
        this.onDrain = Objects.requireNonNull(handler);
        return this;
    }

    @Override
    public boolean sendText(String text) {
        checkLoop();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return admit() && writer.data(Frames.TEXT, b, 0, b.length);
    }

    @Override
    public boolean sendBinary(ByteBuffer data) {
        checkLoop();
        int n = data.remaining();
        if (data.hasArray()) {
            int off = data.arrayOffset() + data.position();
            data.position(data.limit());
            return admit() && writer.data(Frames.BINARY, data.array(), off, n);
        }
        byte[] b = new byte[n];
        data.get(b);
        return admit() && writer.data(Frames.BINARY, b, 0, n);
    }

    @Override
    public boolean sendBinary(byte[] data) {
        checkLoop();
        return admit() && writer.data(Frames.BINARY, data, 0, data.length);
    }

    @Override
    public boolean writeShared(ByteBuffer encodedFrame) {
        checkLoop();
        if (client) {
            throw new IllegalStateException("a client must mask each frame: shared frames are for servers");
        }
        return admit() && conn.writeShared(encodedFrame);
    }

    /** The slow-consumer budget: what may be queued before the overflow policy applies. */
    private boolean admit() {
        if (state != OPEN || conn.isEnding()) {
            return false;
        }
        if (conn.queuedBytes() < options.maxBufferedBytes()) {
            return true;
        }
        if (options.overflowPolicy() == OverflowPolicy.DROP) {
            dropped++;
            return false;
        }
        fail(POLICY_VIOLATION, "slow consumer: more than max-buffered-bytes (" + options.maxBufferedBytes()
                + ") unsent");
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // Incoming messages (MessageAssembler.Events)

    @Override
    public void text(String text) {
        received(text);
    }

    @Override
    public void binary(ByteBuffer data) {
        received(data);
    }

    private void received(Object message) {
        if (state != CLOSED && !inbox.deliver(message)) {
            fail(POLICY_VIOLATION, "messages held before the handlers were set exceed max-buffered-bytes");
        }
    }

    @Override
    public void ping(byte[] payload) {
        if (state == OPEN) {
            writer.control(Frames.PONG, payload); // §5.5.2: answer with the same payload
        }
    }

    @Override
    public void pong(byte[] payload) {
        keepAlive.pong();
    }

    @Override
    public void close(int code, String reason) {
        checkLoop();
        if (!Frames.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4)");
        }
        byte[] payload = FrameEncoder.closePayload(code, reason);
        if (state != OPEN) {
            return;
        }
        state = CLOSING;
        closeCode = code;
        closeReason = reason == null ? "" : reason;
        keepAlive.stop();
        writer.control(Frames.CLOSE, payload);
        armCloseTimer();
    }

    @Override
    public void close() {
        close(NORMAL_CLOSURE, "");
    }

    @Override
    public void pause() {
        checkLoop();
        if (state == OPEN && !conn.isPaused()) {
            keepAlive.stop(); // a pong could not be read while paused: do not time the peer out
            conn.pause();
        }
    }

    @Override
    public void resume() {
        checkLoop();
        if (conn.isPaused() && !conn.isClosed()) {
            conn.resume();
            if (state == OPEN) {
                keepAlive.start();
            }
        }
    }

    @Override
    public void closeReceived(int code, String reason) {
        closeReceived = true;
        closeCode = code;
        closeReason = reason;
        decoder.stop(); // §5.5.1: nothing may follow a close frame
        if (state == OPEN) {
            state = CLOSING;
            keepAlive.stop();
            writer.control(Frames.CLOSE, FrameEncoder.closePayload(code == NO_STATUS ? -1 : code, ""));
            armCloseTimer();
        }
        if (!client) {
            // Flush our close frame, then close: §7.1.1 has the server close TCP first, so that the
            // server, not the client, holds TIME_WAIT.
            conn.close();
        }
    }

    /**
     * §7.1.7 Fail the WebSocket Connection: send the code, then our FIN, and keep reading until the
     * peer's close frame (or FIN), at most the close timeout. Closing at once with the peer still
     * sending (a message over the limit) would leave unread bytes, and the kernel would answer
     * them with a reset that can destroy our close frame: the peer saw 1006, not 1009 (issue 9,
     * defect 7). After a message-level failure the frames still parse, so the rest of the
     * message is dropped frame by frame; after a framing error the bytes are dropped unread.
     */
    private void fail(int code, String reason) {
        if (state != OPEN) {
            decoder.stop();
            return;
        }
        state = CLOSING;
        closeCode = code;
        closeReason = reason == null ? "" : reason;
        keepAlive.stop();
        writer.control(Frames.CLOSE, FrameEncoder.closePayload(code, Frames.truncateReason(closeReason)));
        if (decoder.reason() == null) {
            decoder.drainWith(new Drain());
        } else {
            decoder.stop();
        }
        conn.end();
        armCloseTimer(); // a peer that reads nothing would hold the flush, and our memory, forever
    }

    /** After a failure: drops every frame but the peer's close, which ends the connection. */
    private final class Drain implements FrameDecoder.Listener {
        private final byte[] control = new byte[Frames.MAX_CONTROL_PAYLOAD];
        private int opcode = -1; // the frame in progress when the failure came: not a close
        private int length;

        @Override
        public int frameStart(int op, boolean fin, boolean rsv1, long payloadLength) {
            opcode = op;
            length = 0;
            return FrameDecoder.OK;
        }

        @Override
        public int framePayload(ByteBuffer chunk) {
            if (opcode == Frames.CLOSE) {
                int n = Math.min(chunk.remaining(), control.length - length);
                chunk.get(control, length, n);
                length += n;
            }
            chunk.position(chunk.limit());
            return FrameDecoder.OK;
        }

        @Override
        public int frameEnd() {
            if (opcode != Frames.CLOSE) {
                return FrameDecoder.OK;
            }
            int code = length >= 2 ? ((control[0] & 0xff) << 8) | (control[1] & 0xff) : NO_STATUS;
            closeReceived(code, "");
            return FrameDecoder.STOP;
        }
    }

    private void armCloseTimer() {
        if (closeTimer == null && !conn.isClosed()) {
            closeTimer = conn.loop().setTimeout(options.closeTimeout(), conn::destroy);
        }
    }

    private void pongTimedOut() {
        if (state != CLOSED) {
            closeCode = ABNORMAL_CLOSURE;
            closeReason = "no pong within pong-timeout (" + options.pongTimeout().toMillis() + " ms)";
            state = CLOSING;
            conn.destroy(); // the peer is not reading: a close frame would never arrive
        }
    }

    private void tcpClosed(Throwable cause) {
        state = CLOSED;
        keepAlive.stop();
        if (closeTimer != null) {
            closeTimer.cancel();
        }
        assembler.release();
        writer.release();
        if (!closeReceived && closeCode == ABNORMAL_CLOSURE && closeReason.isEmpty()) {
            closeReason = cause instanceof DeadlineExceededException ? "idle timeout"
                    : cause != null ? String.valueOf(cause.getMessage()) : "connection closed without a close frame";
        }
        if (terminated != null) {
            for (Runnable r : terminated) {
                run(r);
            }
        }
        if (onClose != null) {
            closeNotified = true;
            CloseHandler h = onClose;
            run(() -> h.closed(closeCode, closeReason));
        }
    }

    /** Runs application code: what it throws is reported and fails only this socket with 1011. */
    private void run(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            conn.loop().reportUncaught(new EventideException("WebSocket handler on " + conn + " threw", t));
            fail(INTERNAL_ERROR, "internal error");
        }
    }

    // ------------------------------------------------------------------------------------------
    // State

    @Override
    public boolean isOpen() {
        return state == OPEN;
    }

    @Override
    public EventLoop loop() {
        return conn.loop();
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public String extensions() {
        return extensions;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return conn.remoteAddress();
    }

    @Override
    public long bufferedBytes() {
        return conn.queuedBytes();
    }

    @Override
    public long dropped() {
        return dropped;
    }

    /** A server takes shared, unmasked frames; a client masks every frame and takes none. */
    @Override
    public Format sharedFormat() {
        return client ? Format.NONE : Format.WEBSOCKET_TEXT_FRAME;
    }

    @Override
    public void onTerminated(Runnable listener) {
        if (state == CLOSED) {
            listener.run();
            return;
        }
        if (terminated == null) {
            terminated = new ArrayList<>(2);
        }
        terminated.add(listener);
    }

    private void checkLoop() {
        if (!conn.loop().inLoop()) {
            throw new IllegalStateException("WebSocket " + conn + " is confined to " + conn.loop().name()
                    + "; called from " + Thread.currentThread().getName() + " (use loop().execute)");
        }
    }

    @Override
    public String toString() {
        return "WebSocket[" + conn + (subprotocol != null ? ", " + subprotocol : "") + "]";
    }
}
