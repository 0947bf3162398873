package io.eventide.http.internal.server;

import io.eventide.core.Timer;
import io.eventide.core.net.Connection;
import io.eventide.core.net.Protocol;
import io.eventide.http.HttpException;
import io.eventide.http.HttpHeaders;
import io.eventide.http.HttpOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One HTTP/1.1 server connection: the state of the exchange in progress and its lifecycle (the
 * end of a response, keep-alive or close, errors, deadlines, shutdown, upgrade). Its parts:
 *
 * <pre>
 *   socket ─► RequestReader ─► RequestDecoder (codec)      ─► Exchange ─► Dispatcher (the API)
 *                 │ body ─► BodyStream (the app's onData/onEnd/onError)
 *   socket ◄─ ResponseWriter (bytes) ◄─ ResponseFlow (framing, keep-alive, gzip) ◄─ Exchange
 *   Deadlines: idle, header, body rate, discard, handler timeout (swept by the ServerLoop)
 * </pre>
 *
 * <pre>
 *            head complete            body done (or none)         response ended
 *   HEAD ───────────────────► BODY ─────────────────────► DONE_READING ────────────► HEAD
 *     │ bad head: 4xx+close     │ flows only while the app reads;      (pipelined bytes wait in
 *     ▼                         │ otherwise the socket is paused        'pending' until then)
 *   CLOSED ◄────────────────────┘ bad chunk / over limit / too slow: 4xx + close
 * </pre>
 *
 * <p>Output: while a batch of received bytes is processed, responses are encoded into the loop's
 * scratch buffer and written with one syscall at the end of the batch (16 pipelined requests, one
 * write). Outside a batch (a response ended from a timer) they go out at once.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class Http1ServerConnection {
    static final int HEAD = 0;
    static final int BODY = 1;
    static final int DONE_READING = 2;
    static final int CLOSED = 3;
    static final int UPGRADED = 4;

    /** Unread body a finished response may leave behind and still keep the connection. */
    static final long DISCARD_LIMIT = 64 * 1024;
    /** How long a closing connection keeps reading (and dropping) what the client still sends. */
    static final Duration LINGER = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger("io.eventide.http");

    final ServerEngine engine;
    final HttpOptions options;
    private final ServerLoop sl;
    final Connection conn;
    final RequestDecoder decoder;
    final ResponseWriter writer;
    final ResponseFlow out;
    final RequestReader in;
    final BodyStream body = new BodyStream(this);
    final Deadlines deadlines;
    int state = HEAD;
    boolean processing;
    boolean pausedByUs;
    boolean closeAfterResponse;
    boolean shuttingDown;
    boolean continueSent;
    boolean discarding;
    /** Last System.nanoTime() read: when a read's processing began (its requests share it), when a response ended. */
    long clock;
    private boolean released;
    long discarded;
    private Timer linger;
    Exchange x;

    Http1ServerConnection(ServerEngine engine, ServerLoop sl, Connection conn) {
        this.engine = engine;
        this.options = engine.options();
        this.sl = sl;
        this.conn = conn;
        this.decoder = new RequestDecoder(engine.limits());
        this.writer = new ResponseWriter(conn, sl, engine.serverLine());
        this.out = new ResponseFlow(this, writer, sl, options);
        this.deadlines = new Deadlines(options);
        this.in = new RequestReader(this);
        conn.label("http");
        conn.onData(in::onData);
        conn.onDrain(this::onDrain);
        conn.onClose(this::onClose);
        conn.onShutdown(this::shutdown);
        sl.add(this);
    }

    Connection connection() {
        return conn;
    }

    /** {@return whether nothing more goes to the client (an error answered, or the socket gone)} */
    boolean isDone() {
        return state == CLOSED;
    }

    /** {@return the exchange in progress, or null between requests} */
    Exchange current() {
        return x;
    }

    /** {@return whether the request body is complete (or there was none) and the response is pending} */
    boolean bodyDone() {
        return state == DONE_READING;
    }

    /** Resumes reading bytes already buffered: see {@link RequestReader#kick}. */
    void kick() {
        in.kick();
    }

    /** The request's flow state changed: see {@link BodyStream#flowChanged}. */
    void bodyFlowChanged(Exchange e) {
        body.flowChanged(e);
    }

    /** {@return whether the request body is still being received} */
    boolean readingBody() {
        return state == BODY;
    }

    // ------------------------------------------------------------------------------------------
    // Protocol switch

    /**
     * Switches the connection to another protocol: sends 101 with {@code headers}, then, after the
     * current callback, installs the protocol {@code takeover} returns, handing it the bytes the peer
     * sent after the request head (one step: {@link Connection#protocol(Protocol, ByteBuffer)}).
     */
    void upgrade(Exchange e, HttpHeaders headers, Function<Connection, Protocol> takeover) {
        if (e.head.hasBody()) {
            // A client error, not a server one (issue 9, defect 4: it was a 500, and the body
            // bytes were then parsed as the next request).
            respondError(400, "a request with a body cannot be upgraded");
            return;
        }
        if (state != DONE_READING) {
            throw new IllegalStateException("the response to " + e + " has already ended");
        }
        e.status = 101;
        e.committed = true;
        e.ended = true;
        writer.switchingProtocols(headers);
        state = UPGRADED;
        engine.finished(e);
        conn.loop().queueMicrotask(() -> {
            writer.flush();
            sl.remove(this);
            sl.upgraded(conn);
            release();
            ByteBuffer rest = in.takePending();
            in.setPaused(false);
            conn.protocol(takeover.apply(conn), rest == null ? null : rest.flip());
        });
    }

    private void onDrain() {
        if (x != null && x.committed && !x.ended && x.onDrain != null) {
            x.onDrain.run();
        }
        in.drained();
    }

    void responseFinished(Exchange e) {
        List<Runnable> hooks = e.onFinish;
        engine.finished(e);
        if (hooks != null) {
            for (Runnable h : hooks) {
                try {
                    h.run();
                } catch (Throwable t) {
                    conn.loop().reportUncaught(t);
                }
            }
        }
        if (e != x) {
            return;
        }
        if (closeAfterResponse) {
            if (state == BODY) {
                lingeringClose(); // the client may still be sending: let it read the answer
            } else {
                writer.flush();
                state = CLOSED;
                conn.close();
            }
            return;
        }
        if (state == DONE_READING) {
            exchangeDone();
        } else if (state == BODY) {
            discarding = true; // skip the rest of the body, then serve the next request
            discarded = 0;
            deadlines.discard(System.nanoTime());
            if (!processing) {
                conn.loop().queueMicrotask(in::kick);
            }
            in.setPaused(false);
        }
    }

    void exchangeDone() {
        x = null;
        decoder.reset();
        state = HEAD;
        deadlines.idle(clock); // just read: by the response that finished, or by the read in progress
        if (!processing) {
            in.kick();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Errors, deadlines, shutdown

    void respondError(int status, String reason) {
        if (state == CLOSED) {
            return;
        }
        if (x != null && x.committed) {
            state = CLOSED;
            writer.flush();
            conn.destroy();
            return;
        }
        boolean head = x != null ? x.head.method().equals("HEAD") : decoder.isHeadRequest();
        writer.error(status, reason, head); // RFC 9110 §9.3.2: no body to HEAD, errors included
        engine.answeredError(x, status);
        lingeringClose();
    }

    /**
     * Closes after the answer without losing it: closing a socket with unread input makes the
     * kernel send a reset, which can destroy the answer before the client reads it (a 413 to an
     * upload still being sent). So: flush, send our FIN, and keep reading and dropping what comes
     * until the client's FIN, for at most {@link #LINGER} (Apache's lingering close, Go's
     * closeWriteAndWait).
     */
    void lingeringClose() {
        state = CLOSED;
        writer.flush();
        in.setPaused(false);
        conn.end();
        if (!conn.isClosed() && linger == null) {
            linger = conn.loop().setTimeout(LINGER, conn::destroy);
        }
    }

    void failBody(int status, String reason) {
        if (x != null && !x.bodyFailed) {
            body.failed(x, new HttpException(status, reason));
        }
        respondError(status, reason);
    }

    void handlerFailed(Throwable t) {
        if (state == CLOSED || x == null) {
            return;
        }
        engine.failed(x, t);
    }

    void checkDeadlines(long now) {
        boolean held = !discarding && (in.isPaused() || x == null || x.paused || !x.flowing);
        switch (deadlines.check(now, held, x == null || x.committed)) {
            case IDLE_TIMEOUT -> {
                if (!processing) {
                    state = CLOSED;
                    conn.close();
                }
            }
            case HEADER_TIMEOUT -> respondError(408, "request head not received within header-timeout ("
                    + options.headerTimeout().toMillis() + " ms)");
            case BODY_TOO_SLOW -> {
                if (state == BODY) {
                    failBody(408, "request body slower than min-body-rate (" + options.minBodyRate() + " B/s)");
                }
            }
            case DISCARD_STALLED -> {
                state = CLOSED; // answered already: nothing more to say
                conn.close();
            }
            case HANDLER_TIMEOUT -> handlerTimedOut();
            default -> { }
        }
    }

    /**
     * The handler has not started its response within handler-timeout: answer 503 for it, and say
     * so in the log (issue 9, defect 9: a handler whose promise failed unobserved left the client
     * waiting for good). What the handler does later is ignored ({@link Exchange#timedOut}).
     */
    private void handlerTimedOut() {
        Exchange e = x;
        if (e == null || e.committed || e.ended) {
            return;
        }
        long ms = options.handlerTimeout().toMillis();
        LOG.log(System.Logger.Level.WARNING, e + " got no answer from its handler within handler-timeout ("
                + ms + " ms); answering 503");
        e.timedOut = true;
        e.status = 503;
        e.headers = null;
        e.contentType = "text/plain; charset=utf-8";
        e.declaredLength = -1;
        out.end(e, ByteBuffer.wrap(("Service Unavailable: no answer within handler-timeout (" + ms + " ms)\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    void shutdown() {
        shuttingDown = true;
        deadlines.draining(engine.drainQuietNanos());
        if (isIdle()) {
            closeWhenQuiet();
        } else {
            closeAfterResponse = true; // answer what is in flight, with Connection: close
            Runnable hook = x != null && !x.ended ? x.onShutdown : null;
            if (hook != null) {
                try {
                    hook.run();
                } catch (Throwable t) {
                    handlerFailed(t);
                }
            }
        }
    }

    private boolean isIdle() {
        int phase = deadlines.phase();
        return phase == Deadlines.IDLE || (phase == Deadlines.HEAD && !decoder.headInProgress());
    }

    /**
     * Draining: closes this idle connection once it has been quiet long enough (Deadlines); until
     * then a request that arrives is answered with Connection: close (RequestReader reads
     * shuttingDown). Its own timer, not the sweep: the sweep's period may be as long as the grace.
     */
    private void closeWhenQuiet() {
        if (state == CLOSED || !isIdle()) {
            return;
        }
        long wait = deadlines.quietRemaining(System.nanoTime());
        if (wait <= 0) {
            state = CLOSED;
            conn.close();
        } else {
            conn.loop().setTimeout(java.time.Duration.ofNanos(wait), this::closeWhenQuiet);
        }
    }

    /** Counts this connection out of the server's drain, once. */
    private void release() {
        if (!released) {
            released = true;
            engine.released(this);
        }
    }

    private void onClose(Throwable cause) {
        if (linger != null) {
            linger.cancel();
        }
        sl.remove(this);
        sl.released(writer);
        release();
        if (x != null) {
            engine.aborted(x, cause); // a no-op when its response ended: one report per exchange
            try {
                x.closed(cause);
            } catch (Throwable t) {
                conn.loop().reportUncaught(t);
            }
            if (x.gzip != null) {
                x.gzip.release(); // the deflater's native memory goes back even when the client left
                x.gzip = null;
            }
        }
        if (state == UPGRADED) {
            return;
        }
        if (state != CLOSED && x != null && !x.bodyEnded && !x.bodyFailed) {
            body.failed(x, cause != null ? cause : new HttpException(400, "connection closed before the body ended"));
        }
        state = CLOSED;
    }

    @Override
    public String toString() {
        String[] states = {"head", "body", "handler", "closed", "upgraded"};
        return "HTTP connection " + conn.handlerName() + " from " + conn.remoteAddress() + " (" + states[state]
                + (discarding ? ", discarding the body" : "") + (x != null ? ", " + x : "") + ")";
    }
}
