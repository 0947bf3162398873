package io.eventide.pg.internal;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpOptions;
import io.eventide.pg.PgException;
import io.eventide.pg.PgNotification;
import io.eventide.pg.PgNotice;
import io.eventide.pg.PgOptions;
import io.eventide.pg.internal.codec.MessageReader;
import io.eventide.pg.internal.codec.Wire;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One PostgreSQL session over one TCP connection, on one loop. Commands are encoded into a single
 * outgoing buffer and written once per loop turn (a microtask), so everything submitted in one
 * callback leaves in one write; replies are matched to commands in order. Reading never stops
 * while writing (the socket is always read, whatever is queued for it), so a large pipeline cannot
 * deadlock client and server on full buffers; reading stops only when a row or COPY stream is paused.
 *
 * <pre>
 *   submit(cmd) ─► cmd.encode ─► out buffer ─(microtask)─► socket
 *   socket ─► MessageReader ─► notice/notification/parameter status (any time)
 *                            └► head of in-flight queue; when it is done, the next one
 * </pre>
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class WireConnection {
    private static final System.Logger LOG = System.getLogger("io.eventide.pg");

    private final EventLoop loop;
    private final PgOptions options;
    private final Connection tcp;
    private final Wire out = new Wire();
    private final MessageReader reader;
    private final ArrayDeque<Command> inflight = new ArrayDeque<>();
    private final Map<String, String> serverParams = new HashMap<>();
    private final StatementCache statements;
    private final MessageReader.Sink sink = new MessageReader.Sink() {
        @Override
        public void message(byte type, ByteBuffer body) {
            dispatch(type, body);
        }

        @Override
        public boolean wantsMore() {
            return !readPaused && !closed;
        }
    };
    private final Runnable flushTask = this::flush;
    private java.util.List<Command> deferred;
    private boolean flushScheduled;
    private boolean readPaused;
    private boolean closed;
    private boolean closing;
    private boolean retired;
    private char txStatus = 'I';
    private int processId;
    private byte[] secretKey;
    private int protocolMinor;
    private PgException fatal;
    private Consumer<PgNotification> onNotification = n -> { };
    private Consumer<WireConnection> onClosed = c -> { };
    private Runnable onDrain = () -> { };
    private Runnable onCommandDone = () -> { };

    WireConnection(EventLoop loop, PgOptions options, Connection tcp) {
        this.loop = loop;
        this.options = options;
        this.tcp = tcp;
        this.reader = new MessageReader(options.maxMessageBytes());
        this.statements = new StatementCache(options.statementCacheSize());
        tcp.label("pg");
        tcp.onData(this::received);
        tcp.onDrain(() -> onDrain.run());
        tcp.onClose(this::socketClosed);
        tcp.onShutdown(this::close); // the loop group closes gracefully: say Terminate, not just EOF
    }

    // ------------------------------------------------------------------------------------------
    // Submitting

    /**
     * Queues {@code cmd}: encodes it now, writes it at the end of this loop turn.
     *
     * @param cmd the command
     */
    public void submit(Command cmd) {
        assert loop.inLoop();
        if (closed || closing) {
            cmd.fail(closedError(null));
            return;
        }
        cmd.encode(this, out);
        inflight.addLast(cmd);
        if (deferred != null) {
            Command[] more = deferred.toArray(new Command[0]);
            deferred = null;
            for (Command m : more) {
                submit(m);
            }
        }
        scheduleFlush();
    }

    /** Submits {@code cmd} right after the command being encoded (which may not nest a submit). */
    void after(Command cmd) {
        if (deferred == null) {
            deferred = new java.util.ArrayList<>(2);
        }
        deferred.add(cmd);
    }

    /** Writes {@code encoder}'s messages outside any command (follow-ups of the head command). */
    void send(Consumer<Wire> encoder) {
        if (closed || closing) {
            return;
        }
        encoder.accept(out);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.queueMicrotask(flushTask);
        }
    }

    /** Hands the encoded bytes to the socket now. */
    void flush() {
        flushScheduled = false;
        if (closed || out.isEmpty() || tcp.isEnding()) {
            return;
        }
        out.drainTo(tcp::write);
    }

    // ------------------------------------------------------------------------------------------
    // Receiving

    private void dispatch(byte type, ByteBuffer body) {
        try {
            switch (type) {
                case 'N' -> notice(body);
                case 'A' -> notification(body);
                case 'S' -> serverParams.put(Backend.cstring(body), Backend.cstring(body));
                default -> toHead(type, body);
            }
        } catch (PgException e) {
            destroy(e); // a malformed body: the stream cannot be trusted from here on
        }
    }

    /** Bytes read: messages to the commands; a stream that cannot be framed ends the connection. */
    private void received(ByteBuffer buf) {
        try {
            reader.feed(buf, sink);
        } catch (IllegalStateException e) {
            buf.position(buf.limit());
            destroy(new PgException(PgException.PROTOCOL_VIOLATION, e.getMessage(), e));
        }
    }

    private void toHead(byte type, ByteBuffer body) {
        Command head = inflight.peekFirst();
        if (head == null) {
            unsolicited(type, body);
            return;
        }
        if (type == 'Z') {
            if (!body.hasRemaining()) {
                throw Backend.malformed("ReadyForQuery without a status", null);
            }
            txStatus = (char) body.get(body.position());
        }
        boolean done;
        try {
            done = head.message(this, type, body);
        } catch (PgException e) {
            destroy(e); // e.g. a SCRAM server signature that does not match
            return;
        } catch (RuntimeException e) {
            // A reply we could not parse: the stream position is unknown from here on.
            destroy(new PgException(PgException.PROTOCOL_VIOLATION, "cannot handle backend message '"
                    + (char) type + "': " + e, e));
            return;
        }
        if (done && inflight.peekFirst() == head) {
            inflight.pollFirst();
            onCommandDone.run();
        }
    }

    /** A message with no command waiting: a FATAL error before a close (e.g. pg_terminate_backend). */
    private void unsolicited(byte type, ByteBuffer body) {
        if (type == 'E') {
            PgException e = Backend.error(body);
            noteError(e);
            destroy(e);
        } else {
            destroy(new PgException(PgException.PROTOCOL_VIOLATION, "unexpected backend message '" + (char) type
                    + "' with no command in flight", null));
        }
    }

    private void notice(ByteBuffer body) {
        PgNotice n = new PgNotice(Backend.fields(body));
        try {
            options.onNotice().accept(n);
        } catch (RuntimeException e) {
            loop.reportUncaught(e);
        }
    }

    private void notification(ByteBuffer body) {
        PgNotification n = Backend.notification(body);
        try {
            onNotification.accept(n);
        } catch (RuntimeException e) {
            loop.reportUncaught(e);
        }
    }

    /** Records a server error; one that makes the session untrustworthy retires the connection. */
    void noteError(PgException e) {
        if (e.isConnectionFatal()) {
            retired = true;
            if (fatal == null) {
                fatal = e;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Flow control (row and COPY streams)

    /** Stops reading from the socket and handing out messages. */
    void pauseReading() {
        readPaused = true;
        if (!closed) {
            tcp.pause();
        }
    }

    /** Hands out the messages held back, then reads again. */
    void resumeReading() {
        if (!readPaused || closed) {
            return;
        }
        readPaused = false;
        reader.drain(sink);
        if (!readPaused && !closed) {
            tcp.resume();
        }
    }

    /** @return bytes encoded and not yet handed to the socket */
    int outSize() {
        return out.size();
    }

    /** @return whether the socket's write queue is below its high watermark */
    boolean writable() {
        return !closed && tcp.queuedBytes() < TcpOptions.DEFAULT_HIGH_WATERMARK;
    }

    void onDrain(Runnable r) {
        onDrain = r;
    }

    // ------------------------------------------------------------------------------------------
    // Closing

    /** Sends Terminate after what is queued, then closes. */
    public void close() {
        if (closed || closing) {
            return;
        }
        Messages.terminate(out);
        flush();
        closing = true; // from here the socket takes no writes: later sends are dropped, submits fail
        retired = true;
        tcp.close();
    }

    /**
     * Closes now; every command in flight fails with {@code cause}.
     *
     * @param cause why
     */
    public void destroy(Throwable cause) {
        if (!closed) {
            tcp.destroy(cause);
        }
    }

    private void socketClosed(Throwable cause) {
        closed = true;
        retired = true;
        PgException err = closedError(cause);
        Command c;
        while ((c = inflight.pollFirst()) != null) {
            try {
                c.fail(err);
            } catch (RuntimeException e) {
                loop.reportUncaught(e);
            }
        }
        onClosed.accept(this);
    }

    private PgException closedError(Throwable cause) {
        if (cause instanceof PgException pe) {
            return pe;
        }
        if (fatal != null) {
            return fatal;
        }
        return new PgException(PgException.CONNECTION_FAILURE, "connection to " + options.host() + ":" + options.port()
                + " lost" + (cause != null ? ": " + cause.getMessage() : ""), cause);
    }

    // ------------------------------------------------------------------------------------------
    // State

    /** @return the owning loop */
    public EventLoop loop() {
        return loop;
    }

    /** @return the options it was opened with */
    public PgOptions options() {
        return options;
    }

    /** @return commands sent and not yet answered */
    public int inflight() {
        return inflight.size();
    }

    /** @return whether the socket is closed */
    public boolean isClosed() {
        return closed;
    }

    /** @return whether it must take no new work (fatal error seen, lifetime over, or closed) */
    public boolean isRetired() {
        return retired || closed;
    }

    /** Takes no new work from now on. */
    public void retire() {
        retired = true;
    }

    /** @return the last ReadyForQuery status: 'I' idle, 'T' in a transaction, 'E' in a failed one */
    public char txStatus() {
        return txStatus;
    }

    /** @return the backend's process id */
    public int processId() {
        return processId;
    }

    /** @return the server's run-time parameters (server_version, TimeZone, ...) */
    public Map<String, String> serverParams() {
        return serverParams;
    }

    /** @return the protocol minor version in use (0 or 2) */
    public int protocolMinor() {
        return protocolMinor;
    }

    StatementCache statements() {
        return statements;
    }

    void backendKey(int pid, byte[] key) {
        processId = pid;
        secretKey = key;
    }

    void protocolMinor(int minor) {
        protocolMinor = minor;
    }

    /** @return the command in flight that settles {@code promise}, or null */
    Command commandOf(Object promise) {
        for (Command c : inflight) {
            if (c.promise() == promise) {
                return c;
            }
        }
        return null;
    }

    /** @return whether {@code cmd} is the one the server is working on */
    boolean isHead(Command cmd) {
        return inflight.peekFirst() == cmd;
    }

    /**
     * Asks the server to cancel what this session is running, over a new connection.
     *
     * @return settled when the request was sent
     */
    public Promise<Void> sendCancel() {
        return Dialer.cancel(loop, options, processId, secretKey);
    }

    public void onNotification(Consumer<PgNotification> handler) {
        onNotification = handler;
    }

    public void onClosed(Consumer<WireConnection> handler) {
        onClosed = handler;
    }

    public void onCommandDone(Runnable handler) {
        onCommandDone = handler;
    }

    @Override
    public String toString() {
        return "pg#" + processId + "@" + options.host() + ":" + options.port() + (closed ? " closed" : "");
    }
}
