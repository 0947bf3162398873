package io.eventide.http.internal.server;

import io.eventide.core.Timer;
import io.eventide.core.net.Connection;
import io.eventide.http.HttpException;
import io.eventide.http.HttpHeaders;
import io.eventide.http.HttpOptions;
import io.eventide.http.internal.codec.HttpRequestHead;
import io.eventide.http.internal.codec.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One HTTP/1.1 server connection: moves bytes from a TCP {@link Connection} through a
 * {@link RequestDecoder}, hands each {@link Exchange} to the server, and answers through a
 * {@link ResponseWriter}; its clocks are {@link Deadlines}.
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
    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int DONE_READING = 2;
    private static final int CLOSED = 3;
    private static final int UPGRADED = 4;

    /** Unread body a finished response may leave behind and still keep the connection. */
    static final long DISCARD_LIMIT = 64 * 1024;
    /** Pipelined bytes kept while a response is pending, before reading pauses. */
    private static final int MAX_PENDING = 64 * 1024;
    /** How long a closing connection keeps reading (and dropping) what the client still sends. */
    static final Duration LINGER = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger("io.eventide.http");

    private final ServerEngine engine;
    private final HttpOptions options;
    private final ServerLoop sl;
    private final Connection conn;
    private final RequestDecoder decoder;
    private final ResponseWriter writer;
    private final Deadlines deadlines;
    private ByteBuffer pending;
    private int state = HEAD;
    private boolean processing;
    private boolean pausedByUs;
    private boolean closeAfterResponse;
    private boolean shuttingDown;
    private boolean continueSent;
    private boolean discarding;
    private boolean released;
    private long discarded;
    private Timer linger;
    private Exchange x;

    Http1ServerConnection(ServerEngine engine, ServerLoop sl, Connection conn) {
        this.engine = engine;
        this.options = engine.options();
        this.sl = sl;
        this.conn = conn;
        this.decoder = new RequestDecoder(engine.limits());
        this.writer = new ResponseWriter(conn, sl, engine.serverLine());
        this.deadlines = new Deadlines(options);
        conn.label("http");
        conn.onData(this::onData);
        conn.onDrain(this::onDrain);
        conn.onClose(this::onClose);
        conn.onShutdown(this::shutdown);
        sl.add(this);
    }

    Connection connection() {
        return conn;
    }

    // ------------------------------------------------------------------------------------------
    // Input

    private void onData(ByteBuffer buf) {
        engine.bytesIn(buf.remaining());
        if (state == CLOSED) {
            buf.position(buf.limit());
            return;
        }
        if (state == UPGRADED) {
            appendPending(buf); // the new protocol takes these over after the handler returns
            return;
        }
        if (pending != null && pending.position() > 0) {
            appendPending(buf);
            processPending();
        } else {
            process(buf);
            if (buf.hasRemaining() && state != CLOSED) {
                appendPending(buf);
                pauseIfBacklogged();
            }
        }
        writer.flush();
    }

    /** {@code pending} is kept in write mode: bytes [0, position) are unprocessed. */
    private void appendPending(ByteBuffer buf) {
        int n = buf.remaining();
        if (pending == null) {
            pending = ByteBuffer.allocate(Math.max(4096, n));
        } else if (pending.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + n));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        pending.put(buf);
    }

    private void processPending() {
        if (pending == null || pending.position() == 0) {
            return;
        }
        pending.flip();
        process(pending);
        pending.compact();
        if (pending.position() == 0 && pending.capacity() > MAX_PENDING) {
            pending = null; // do not keep a big buffer on an idle keep-alive connection
        }
        pauseIfBacklogged();
    }

    private void pauseIfBacklogged() {
        // A body being discarded is always read (issue 9, defect 1): pausing it would also stop the
        // connection from seeing the client's FIN, and leave the socket in CLOSE-WAIT for good.
        boolean wantPause = state != CLOSED
                && ((state == BODY && !discarding && (!x.flowing || x.paused))
                        || (pending != null && pending.position() >= MAX_PENDING)
                        || conn.queuedBytes() >= options.tcp().highWatermark());
        setPaused(wantPause);
    }

    private void setPaused(boolean pause) {
        if (pause == pausedByUs || conn.isClosed()) {
            return;
        }
        pausedByUs = pause;
        if (pause) {
            conn.pause();
        } else {
            conn.resume();
        }
    }

    private void process(ByteBuffer in) {
        processing = true;
        try {
            while (in.hasRemaining()) {
                boolean progressed = switch (state) {
                    case HEAD -> readHead(in);
                    case BODY -> readBody(in);
                    default -> false;
                };
                if (!progressed) {
                    break;
                }
            }
        } finally {
            processing = false;
        }
    }

    private boolean readHead(ByteBuffer in) {
        deadlines.head(System.nanoTime());
        switch (decoder.decodeHead(in)) {
            case NEED_MORE:
                return false;
            case ERROR:
                respondError(decoder.errorStatus(), decoder.errorReason());
                return false;
            default:
                begin(decoder.head());
                return true;
        }
    }

    private void begin(HttpRequestHead head) {
        x = new Exchange(this, head, options.maxBodyBytes());
        continueSent = false;
        discarding = false;
        closeAfterResponse = !head.keepAlive() || shuttingDown;
        state = head.hasBody() ? BODY : DONE_READING;
        deadlines.handler(System.nanoTime());
        engine.dispatch(x);
    }

    private boolean readBody(ByteBuffer in) {
        if (!discarding) {
            if (!x.flowing || x.paused) {
                return false;
            }
            deadlines.body(System.nanoTime());
        }
        switch (decoder.decodeBody(in)) {
            case DATA:
                deliver(decoder.data());
                if (decoder.bodyEnded() && state == BODY) {
                    bodyEnd();
                }
                return state != CLOSED;
            case END:
                bodyEnd();
                return state != CLOSED;
            case ERROR:
                failBody(decoder.errorStatus(), decoder.errorReason());
                return false;
            default:
                return false;
        }
    }

    private void deliver(ByteBuffer data) {
        int n = data.remaining();
        x.received += n;
        deadlines.bodyBytes(n);
        if (discarding) {
            data.position(data.limit());
            discarded += n;
            if (discarded > DISCARD_LIMIT) {
                lingeringClose(); // more than is worth skipping: this connection is done
            }
            return;
        }
        if (x.received > x.maxBodyBytes) {
            failBody(413, "request body exceeds max-body-bytes (" + x.maxBodyBytes + ")");
            return;
        }
        try {
            if (x.onData != null) {
                x.onData.accept(data);
            } else {
                data.position(data.limit());
            }
            if (x.onProgress != null) {
                x.onProgress.update(x.received, x.head.contentLength());
            }
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    private void bodyEnd() {
        state = DONE_READING;
        if (!discarding) {
            deadlines.handler(System.nanoTime());
        }
        if (discarding) {
            x.bodyEnded = true;
            if (x.ended) {
                exchangeDone();
            }
            return;
        }
        deliverEnd(x);
        if (x != null && x.ended && state == DONE_READING) {
            exchangeDone();
        }
    }

    private void deliverEnd(Exchange e) {
        e.bodyEnded = true;
        Runnable r = e.onEnd;
        e.onEnd = null;
        if (r != null) {
            try {
                r.run();
            } catch (Throwable t) {
                handlerFailed(t);
            }
        }
    }

    /** The request's flow state changed (onData attached, pause, resume). */
    void bodyFlowChanged(Exchange e) {
        if (e != x) {
            return; // a late call on a finished exchange: its body is gone
        }
        if (state == BODY && x.flowing && !x.paused && x.head.expect100Continue() && !continueSent && !x.committed) {
            continueSent = true;
            writer.interimContinue();
            if (!processing) {
                writer.flush();
            }
        }
        if (state == BODY && x.flowing && !x.paused && !decoder.chunked()
                && x.received + decoder.remaining() > x.maxBodyBytes) {
            failBody(413, "request body exceeds max-body-bytes (" + x.maxBodyBytes + ")");
            return;
        }
        if (state == DONE_READING && x.bodyEnded && x.flowing) {
            // Body already complete (or none) when the handler attached: deliver the end later,
            // after the handler's current callback, like a stream's 'end' on the next tick.
            conn.loop().queueMicrotask(() -> {
                if (e == x && !e.bodyFailed) {
                    deliverEnd(e);
                }
            });
            return;
        }
        if (!processing) {
            // Resume delivery of bytes already buffered, after the caller's code has run.
            conn.loop().queueMicrotask(this::kick);
        }
    }

    private void kick() {
        if (state == CLOSED || processing) {
            return;
        }
        processPending();
        if (state != CLOSED) {
            pauseIfBacklogged();
        }
        writer.flush();
    }

    // ------------------------------------------------------------------------------------------
    // Output

    /** Decides framing and keep-alive, then writes the head. */
    private void commit(Exchange e, long contentLength, boolean streaming) {
        e.committed = true;
        HttpRequestHead h = e.head;
        boolean bodyless = isBodyless(e);
        if (state == BODY && !e.flowing && ((!decoder.chunked() && decoder.remaining() > DISCARD_LIMIT)
                || (h.expect100Continue() && !continueSent))) {
            // Answering a body nobody reads: a rest too big to skip, or one the client will not send
            // without a 100 Continue, means closing. A body the handler reads (a streaming echo),
            // or a chunked one of unknown size, keeps the connection: what is left when the
            // response ends is skipped up to DISCARD_LIMIT (issue 9, defect 6; Node does the same).
            closeAfterResponse = true;
        }
        if (e.headers != null && e.headers.contains(HttpHeaders.CONNECTION)) {
            String c = e.headers.get(HttpHeaders.CONNECTION);
            e.headers.remove(HttpHeaders.CONNECTION); // written by the writer, exactly once
            if (c.equalsIgnoreCase("close")) {
                closeAfterResponse = true;
            }
        }
        if (streaming && contentLength < 0 && h.version() == HttpVersion.HTTP_1_0) {
            closeAfterResponse = true; // HTTP/1.0: the end of the body is the end of the connection
        }
        e.chunked = streaming && contentLength < 0 && h.version() != HttpVersion.HTTP_1_0 && !bodyless;
        boolean sendLength = contentLength >= 0 && e.status != 204 && !(e.status == 304 && e.declaredLength < 0);
        writer.head(e, sendLength ? contentLength : -1, closeAfterResponse);
    }

    boolean write(Exchange e, ByteBuffer chunk) {
        if (state == CLOSED) {
            chunk.position(chunk.limit());
            return false;
        }
        if (!e.committed) {
            if (wantsGzip(e, true, -1)) {
                startGzip(e);
            }
            commit(e, e.declaredLength, true);
        }
        if (isBodyless(e)) {
            chunk.position(chunk.limit());
            return true;
        }
        writer.body(e.gzip != null ? e.gzip.encode(chunk, false) : chunk, e.chunked);
        if (!processing) {
            writer.flush();
        }
        return conn.queuedBytes() < options.tcp().highWatermark();
    }

    boolean writeShared(Exchange e, ByteBuffer shared) {
        if (state == CLOSED || !e.committed || e.gzip != null || !e.chunked) {
            return write(e, shared.duplicate());
        }
        if (!shared.hasRemaining()) {
            return true;
        }
        writer.sharedChunk(shared);
        if (!processing) {
            writer.flush();
        }
        return conn.queuedBytes() < options.tcp().highWatermark();
    }

    void end(Exchange e, ByteBuffer last) {
        if (state == CLOSED) {
            e.ended = true;
            return;
        }
        if (!e.committed) {
            long len = e.declaredLength >= 0 ? e.declaredLength : last == null ? 0 : last.remaining();
            if (wantsGzip(e, false, len)) {
                startGzip(e);
                last = e.gzip.encode(last == null ? ByteBuffer.allocate(0) : last, true);
                e.gzip = null;
                len = last.remaining();
            }
            commit(e, len, false);
            if (last != null && !isBodyless(e)) {
                writer.put(last);
            }
        } else {
            if (e.gzip != null) {
                ByteBuffer tail = e.gzip.encode(last == null ? ByteBuffer.allocate(0) : last, true);
                e.gzip = null;
                writer.body(tail, e.chunked);
            } else if (last != null && last.hasRemaining()) {
                write(e, last);
            }
            if (e.chunked) {
                writer.lastChunk(e.trailers);
            }
        }
        e.ended = true;
        responseFinished(e);
    }

    void sendFile(Exchange e, FileChannel file, long position, long count) {
        if (state == CLOSED) {
            closeQuietly(file);
            e.ended = true;
            return;
        }
        commit(e, count, false);
        if (isBodyless(e) || count == 0) {
            closeQuietly(file);
        } else {
            writer.flush();
            conn.sendFile(file, position, count, err -> closeQuietly(file));
        }
        e.ended = true;
        responseFinished(e);
    }

    private static void closeQuietly(FileChannel f) {
        try {
            f.close();
        } catch (java.io.IOException e) {
            // Closing a file we only read from: nothing was lost, nothing to report.
        }
    }

    /**
     * Switches the connection to another protocol: sends 101 with {@code headers}, then, after the
     * current callback, detaches HTTP and calls {@code takeover}, and replays bytes the peer sent
     * after the request head into the connection's (new) data handler.
     */
    void upgrade(Exchange e, HttpHeaders headers, Consumer<Connection> takeover) {
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
            conn.onDrain(() -> { });
            conn.onClose(t -> { });
            conn.onShutdown(null);
            ByteBuffer rest = pending;
            pending = null;
            setPaused(false);
            takeover.accept(conn);
            if (rest != null && rest.position() > 0 && !conn.isClosed()) {
                conn.replay(rest.flip());
            }
        });
    }

    /** Gzip by content negotiation (RFC 9110 §12.5.3) when enabled and worth it. */
    private boolean wantsGzip(Exchange e, boolean streaming, long len) {
        return options.gzip() && !isBodyless(e) && e.declaredLength < 0 && e.status != 206
                && (streaming || len >= 1024) && GzipStream.compressible(e.contentType)
                && (e.headers == null || !e.headers.contains(HttpHeaders.CONTENT_ENCODING))
                && GzipStream.accepted(e.head.headers().get(HttpHeaders.ACCEPT_ENCODING));
    }

    private void startGzip(Exchange e) {
        e.gzip = new GzipStream(sl.gzipPool);
        e.headers().set(HttpHeaders.CONTENT_ENCODING, "gzip");
        e.headers().add("Vary", HttpHeaders.ACCEPT_ENCODING);
    }

    private static boolean isBodyless(Exchange e) {
        return e.head.method().equals("HEAD") || e.status == 204 || e.status == 304;
    }

    private void onDrain() {
        if (x != null && x.committed && !x.ended && x.onDrain != null) {
            x.onDrain.run();
        }
        if (state != CLOSED && pausedByUs) {
            pauseIfBacklogged();
            if (!pausedByUs) {
                kick();
            }
        }
    }

    private void responseFinished(Exchange e) {
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
                conn.loop().queueMicrotask(this::kick);
            }
            setPaused(false);
        }
    }

    private void exchangeDone() {
        x = null;
        decoder.reset();
        state = HEAD;
        deadlines.idle(System.nanoTime());
        if (!processing) {
            processPending();
            if (state != CLOSED) {
                pauseIfBacklogged();
            }
            writer.flush();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Errors, deadlines, shutdown

    private void respondError(int status, String reason) {
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
        engine.rejected(status);
        lingeringClose();
    }

    /**
     * Closes after the answer without losing it: closing a socket with unread input makes the
     * kernel send a reset, which can destroy the answer before the client reads it (a 413 to an
     * upload still being sent). So: flush, send our FIN, and keep reading and dropping what comes
     * until the client's FIN, for at most {@link #LINGER} (Apache's lingering close, Go's
     * closeWriteAndWait).
     */
    private void lingeringClose() {
        state = CLOSED;
        writer.flush();
        setPaused(false);
        conn.end();
        if (!conn.isClosed() && linger == null) {
            linger = conn.loop().setTimeout(LINGER, conn::destroy);
        }
    }

    private void failBody(int status, String reason) {
        if (x != null && !x.bodyFailed) {
            bodyFailed(x, new HttpException(status, reason));
        }
        respondError(status, reason);
    }

    private void bodyFailed(Exchange e, Throwable cause) {
        e.bodyFailed = true;
        Consumer<Throwable> h = e.onError;
        e.onError = null;
        if (h != null) {
            try {
                h.accept(cause);
            } catch (Throwable t) {
                conn.loop().reportUncaught(t);
            }
        }
    }

    private void handlerFailed(Throwable t) {
        if (state == CLOSED || x == null) {
            return;
        }
        engine.failed(x, t);
    }

    void checkDeadlines(long now) {
        boolean held = !discarding && (pausedByUs || x == null || x.paused || !x.flowing);
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
        end(e, ByteBuffer.wrap(("Service Unavailable: no answer within handler-timeout (" + ms + " ms)\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    void shutdown() {
        shuttingDown = true;
        int phase = deadlines.phase();
        if (phase == Deadlines.IDLE || (phase == Deadlines.HEAD && !decoder.headInProgress())) {
            state = CLOSED;
            conn.close();
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
            bodyFailed(x, cause != null ? cause : new HttpException(400, "connection closed before the body ended"));
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
