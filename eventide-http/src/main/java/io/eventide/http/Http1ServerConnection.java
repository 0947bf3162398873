package io.eventide.http;

import io.eventide.core.net.Connection;
import io.eventide.http.internal.codec.ChunkedDecoder;
import io.eventide.http.internal.codec.Http1RequestParser;
import io.eventide.http.internal.codec.Http1ResponseEncoder;
import io.eventide.http.internal.codec.HttpRequestHead;
import io.eventide.http.internal.codec.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/1.1 server connection: reads request heads and bodies from a TCP {@link Connection},
 * hands each exchange to the server, and encodes responses.
 *
 * <pre>
 *            head complete            body done (or none)         response ended
 *   HEAD ───────────────────► BODY ─────────────────────► DONE_READING ────────────► HEAD
 *     │ bad head: 4xx+close     │ flows only while the app reads;      (pipelined bytes wait in
 *     ▼                         │ otherwise the socket is paused        'pending' until then)
 *   CLOSED ◄────────────────────┘ bad chunk / over limit / too slow: 4xx + close
 * </pre>
 *
 * <p>Output: while a batch of received bytes is being processed, responses are encoded into the
 * loop's scratch buffer and written with one syscall at the end of the batch (16 pipelined
 * requests, one write). Outside a batch (a response ended from a timer) they go out at once.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class Http1ServerConnection {
    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int DONE_READING = 2;
    private static final int CLOSED = 3;
    private static final int UPGRADED = 4;

    private static final int PHASE_IDLE = 0;
    private static final int PHASE_HEAD = 1;
    private static final int PHASE_BODY = 2;
    private static final int PHASE_HANDLER = 3;

    /**
     * On a graceful close, how long a connection must have been idle before it is closed. A client
     * may have sent a request on a connection we close: a proxy (nginx) reusing a pooled upstream
     * connection picks the most recently used one, so a connection active a moment ago may carry a
     * request right now, and closing it makes the proxy log "upstream prematurely closed" and, for a
     * POST, answer 502. One that has been quiet this long is at the cold end of the pool. Newly
     * accepted connections (drained from the accept queue) get the same time for their first request.
     */
    private static final long DRAIN_IDLE_QUIET_NANOS = 1_000_000_000L;
    /** Unread body a finished response may leave behind and still keep the connection. */
    private static final long DISCARD_LIMIT = 64 * 1024;
    /** Pipelined bytes kept while a response is pending, before reading pauses. */
    private static final int MAX_PENDING = 64 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONN_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONN_KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ServerLoop sl;
    private final Connection conn;
    private final Http1RequestParser parser;
    private final byte[] serverLine;
    private ChunkedDecoder chunkedDecoder;
    private ByteBuffer pending;
    private int state = HEAD;
    private boolean processing;
    private boolean pausedByUs;
    private boolean closeAfterResponse;
    private boolean shuttingDown;
    private boolean continueSent;
    private boolean discarding;
    private long bodyRemaining;
    private boolean chunked;
    private HttpRequest req;
    private HttpResponse res;

    private int phase = PHASE_IDLE;
    private long phaseStart = System.nanoTime();
    private long rateWindowStart;
    private long rateWindowBytes;

    Http1ServerConnection(HttpServer server, ServerLoop sl, Connection conn) {
        this.server = server;
        this.sl = sl;
        this.conn = conn;
        this.parser = new Http1RequestParser(server.limits());
        this.serverLine = server.serverLine();
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
        server.bytesIn(buf.remaining());
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
        flushOut();
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
        if (pending.position() == 0 && pending.capacity() > 64 * 1024) {
            pending = null; // do not keep a big buffer on an idle keep-alive connection
        }
        pauseIfBacklogged();
    }

    private void pauseIfBacklogged() {
        boolean wantPause = state == CLOSED ? false
                : (state == BODY && (!req.flowing || req.paused))
                        || (pending != null && pending.position() >= MAX_PENDING)
                        || conn.queuedBytes() >= server.options().tcp().highWatermark();
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
        if (phase == PHASE_IDLE) {
            phase = PHASE_HEAD;
            phaseStart = System.nanoTime();
        }
        switch (parser.parse(in)) {
            case NEED_MORE:
                return false;
            case ERROR:
                respondError(parser.errorStatus(), parser.errorReason());
                return false;
            default:
                begin(parser.head());
                return true;
        }
    }

    private void begin(HttpRequestHead head) {
        req = new HttpRequest(this, head, server.options().maxBodyBytes());
        res = new HttpResponse(this, req);
        continueSent = false;
        discarding = false;
        chunked = head.chunked();
        bodyRemaining = chunked ? -1 : Math.max(0, head.contentLength());
        if (chunked) {
            if (chunkedDecoder == null) {
                chunkedDecoder = new ChunkedDecoder(server.limits());
            }
            chunkedDecoder.reset();
        }
        closeAfterResponse = !head.keepAlive() || shuttingDown;
        state = head.hasBody() ? BODY : DONE_READING;
        if (!head.hasBody()) {
            req.ended = true;
        }
        phase = PHASE_HANDLER;
        server.dispatch(req, res);
    }

    private boolean readBody(ByteBuffer in) {
        if (!discarding && (!req.flowing || req.paused)) {
            return false;
        }
        if (phase != PHASE_BODY) {
            phase = PHASE_BODY;
            phaseStart = rateWindowStart = System.nanoTime();
            rateWindowBytes = 0;
        }
        if (chunked) {
            return readChunked(in);
        }
        int n = (int) Math.min(bodyRemaining, in.remaining());
        ByteBuffer slice = in.slice(in.position(), n);
        in.position(in.position() + n);
        bodyRemaining -= n;
        deliver(slice);
        if (bodyRemaining == 0 && state == BODY) {
            bodyEnd();
        }
        return state != CLOSED;
    }

    private boolean readChunked(ByteBuffer in) {
        switch (chunkedDecoder.decode(in)) {
            case DATA:
                deliver(chunkedDecoder.data());
                return state != CLOSED;
            case END:
                bodyEnd();
                return state != CLOSED;
            case ERROR:
                failBody(chunkedDecoder.errorStatus(), chunkedDecoder.errorReason());
                return false;
            default:
                return false;
        }
    }

    private void deliver(ByteBuffer data) {
        int n = data.remaining();
        req.received += n;
        rateWindowBytes += n;
        if (discarding) {
            data.position(data.limit());
            return;
        }
        if (req.received > req.maxBodyBytes()) {
            failBody(413, "request body exceeds max-body-bytes (" + req.maxBodyBytes() + ")");
            return;
        }
        try {
            req.deliver(data);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    private void bodyEnd() {
        state = DONE_READING;
        phase = PHASE_HANDLER;
        if (discarding) {
            req.ended = true;
            if (res.ended) {
                exchangeDone();
            }
            return;
        }
        try {
            req.deliverEnd();
        } catch (Throwable t) {
            handlerFailed(t);
        }
        if (res != null && res.ended && state == DONE_READING) {
            exchangeDone();
        }
    }

    /** The request's flow state changed (onData attached, pause, resume). */
    void bodyFlowChanged() {
        if (state == BODY && req.flowing && !req.paused && req.expectsContinue() && !continueSent && !res.committed) {
            continueSent = true;
            room(CONTINUE.length).put(CONTINUE);
            if (!processing) {
                flushOut();
            }
        }
        if (req.flowing && !req.paused && req.received + Math.max(0, bodyRemaining) > req.maxBodyBytes()
                && !chunked && state == BODY) {
            failBody(413, "request body exceeds max-body-bytes (" + req.maxBodyBytes() + ")");
            return;
        }
        if (state == DONE_READING && req.ended && req.flowing) {
            // Body already complete (or none) when the handler attached: deliver the end later,
            // after the handler's current callback, like a stream's 'end' on the next tick.
            conn.loop().queueMicrotask(() -> {
                if (req != null && !req.failed) {
                    try {
                        req.deliverEnd();
                    } catch (Throwable t) {
                        handlerFailed(t);
                    }
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
        flushOut();
    }

    // ------------------------------------------------------------------------------------------
    // Output

    /** Head + framing, written into the scratch buffer. */
    private void commit(HttpResponse r, long contentLength, boolean streaming) {
        r.committed = true;
        HttpRequestHead h = req.head();
        boolean bodyless = h.method().equals("HEAD") || r.status() == 204 || r.status() == 304;
        if (state == BODY && (chunked || bodyRemaining > DISCARD_LIMIT || (req.expectsContinue() && !continueSent))) {
            // Answering before the body is in (a 413 mid-upload, a handler that ignores it): a rest
            // too big to skip, of unknown size, or never to be sent after no 100-continue: close.
            closeAfterResponse = true;
        }
        HttpHeaders hs = r.headersOrNull();
        if (hs != null && hs.contains(HttpHeaders.CONNECTION)) {
            String c = hs.get(HttpHeaders.CONNECTION);
            hs.remove(HttpHeaders.CONNECTION); // written below, exactly once
            if (c.equalsIgnoreCase("close")) {
                closeAfterResponse = true;
            }
        }
        if (streaming && contentLength < 0 && h.version() == HttpVersion.HTTP_1_0) {
            closeAfterResponse = true; // HTTP/1.0: the end of the body is the end of the connection
        }
        if (server.isClosing()) {
            closeAfterResponse = true; // listeners closed: before this loop has even been told (that is async)
        }
        r.chunked = streaming && contentLength < 0 && h.version() != HttpVersion.HTTP_1_0 && !bodyless;
        int size = 128 + serverLine.length + (r.contentTypeValue() == null ? 0 : r.contentTypeValue().length() + 16)
                + headersLength(r.headersOrNull());
        ByteBuffer out = room(size);
        if (out.remaining() < size) {
            writeLargeHead(r, contentLength, bodyless, size);
            return;
        }
        writeHead(out, r, contentLength, bodyless);
    }

    private void writeHead(ByteBuffer out, HttpResponse r, long contentLength, boolean bodyless) {
        Http1ResponseEncoder.writeStatusLine(out, r.status());
        out.put(serverLine);
        sl.date.write(out, System.currentTimeMillis());
        if (r.contentTypeValue() != null) {
            Http1ResponseEncoder.writeHeader(out, HttpHeaders.CONTENT_TYPE, r.contentTypeValue());
        }
        if (r.chunked) {
            out.put(CHUNKED);
        } else if (contentLength >= 0 && r.status() != 204 && !(r.status() == 304 && r.declaredLength < 0)) {
            Http1ResponseEncoder.writeContentLength(out, contentLength);
        }
        if (closeAfterResponse) {
            out.put(CONN_CLOSE);
        } else if (req.head().version() == HttpVersion.HTTP_1_0) {
            out.put(CONN_KEEP_ALIVE);
        }
        if (r.headersOrNull() != null) {
            Http1ResponseEncoder.writeHeaders(out, r.headersOrNull());
        }
        Http1ResponseEncoder.writeEndOfHead(out);
    }

    private void writeLargeHead(HttpResponse r, long contentLength, boolean bodyless, int size) {
        flushOut();
        ByteBuffer big = ByteBuffer.allocate(size);
        writeHead(big, r, contentLength, bodyless);
        big.flip();
        conn.write(big);
    }

    private static int headersLength(HttpHeaders hs) {
        if (hs == null) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < hs.size(); i++) {
            n += Http1ResponseEncoder.headerLength(hs.name(i), hs.value(i));
        }
        return n;
    }

    /** The scratch buffer with at least {@code n} bytes of room, unless {@code n} exceeds it. */
    private ByteBuffer room(int n) {
        ByteBuffer out = sl.claim(this);
        if (out.remaining() < n) {
            flushOut();
            out = sl.claim(this);
        }
        return out;
    }

    boolean writeBody(HttpResponse r, ByteBuffer chunk) {
        if (state == CLOSED) {
            chunk.position(chunk.limit());
            return false;
        }
        if (!r.committed) {
            if (wantsGzip(r, true, -1)) {
                startGzip(r);
            }
            commit(r, r.declaredLength, true);
        }
        if (isBodyless(r)) {
            chunk.position(chunk.limit());
            return true;
        }
        if (r.gzip != null) {
            chunk = r.gzip.encode(chunk, false);
        }
        int n = chunk.remaining();
        if (n == 0) {
            return true;
        }
        if (r.chunked) {
            Http1ResponseEncoder.writeChunkHeader(room(20), n);
        }
        putBytes(chunk);
        if (r.chunked) {
            Http1ResponseEncoder.writeChunkEnd(room(2));
        }
        if (!processing) {
            flushOut();
        }
        return conn.queuedBytes() < server.options().tcp().highWatermark();
    }

    boolean writeShared(HttpResponse r, ByteBuffer shared) {
        if (state == CLOSED || !r.committed || r.gzip != null || !r.chunked) {
            return writeBody(r, shared.duplicate());
        }
        int n = shared.remaining();
        if (n == 0) {
            return true;
        }
        Http1ResponseEncoder.writeChunkHeader(room(20), n);
        flushOut(); // what precedes the shared bytes must go first
        conn.writeShared(shared);
        Http1ResponseEncoder.writeChunkEnd(room(2));
        if (!processing) {
            flushOut();
        }
        return conn.queuedBytes() < server.options().tcp().highWatermark();
    }

    void endBody(HttpResponse r, ByteBuffer last) {
        if (state == CLOSED) {
            r.ended = true;
            return;
        }
        if (!r.committed) {
            long len = r.declaredLength >= 0 ? r.declaredLength : last == null ? 0 : last.remaining();
            if (wantsGzip(r, false, len)) {
                startGzip(r);
                last = r.gzip.encode(last == null ? ByteBuffer.allocate(0) : last, true);
                r.gzip = null;
                len = last.remaining();
            }
            commit(r, len, false);
            if (last != null && !isBodyless(r)) {
                putBytes(last);
            }
        } else {
            if (r.gzip != null) {
                ByteBuffer tail = r.gzip.encode(last == null ? ByteBuffer.allocate(0) : last, true);
                r.gzip = null;
                last = tail;
                if (last.hasRemaining()) {
                    writeRaw(r, last);
                }
            } else if (last != null && last.hasRemaining()) {
                writeBody(r, last);
            }
            if (r.chunked) {
                Http1ResponseEncoder.writeLastChunk(room(512 + headersLength(r.trailersOrNull())), r.trailersOrNull());
            }
        }
        r.ended = true;
        responseFinished(r);
    }

    void sendFile(HttpResponse r, FileChannel file, long position, long count) {
        if (state == CLOSED) {
            closeQuietly(file);
            r.ended = true;
            return;
        }
        commit(r, count, false);
        if (isBodyless(r) || count == 0) {
            closeQuietly(file);
        } else {
            flushOut();
            conn.sendFile(file, position, count, err -> closeQuietly(file));
        }
        r.ended = true;
        responseFinished(r);
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
     * current callback, installs the protocol {@code takeover} returns, handing it the bytes the peer
     * sent after the request head (one step: {@link Connection#protocol(io.eventide.core.net.Protocol, ByteBuffer)}).
     */
    void upgrade(HttpResponse r, HttpHeaders headers,
            java.util.function.Function<Connection, io.eventide.core.net.Protocol> takeover) {
        if (state != DONE_READING || req.hasBody()) {
            throw new IllegalStateException("only a request without a body can be upgraded: " + req);
        }
        r.switchingProtocols();
        r.committed = true;
        r.ended = true;
        ByteBuffer out = room(256 + headersLength(headers));
        Http1ResponseEncoder.writeStatusLine(out, 101);
        Http1ResponseEncoder.writeHeaders(out, headers);
        Http1ResponseEncoder.writeEndOfHead(out);
        state = UPGRADED;
        server.finished(req, r);
        conn.loop().queueMicrotask(() -> {
            flushOut();
            sl.remove(this);
            sl.upgraded(conn);
            ByteBuffer rest = pending;
            pending = null;
            setPaused(false);
            conn.protocol(takeover.apply(conn), rest == null ? null : rest.flip());
        });
    }

    /** Gzip by content negotiation (RFC 9110 §12.5.3) when enabled and worth it. */
    private boolean wantsGzip(HttpResponse r, boolean streaming, long len) {
        return server.options().gzip() && !isBodyless(r) && r.declaredLength < 0 && r.status() != 206
                && (streaming || len >= 1024) && GzipStream.compressible(r.contentTypeValue())
                && (r.headersOrNull() == null || !r.headersOrNull().contains("Content-Encoding"))
                && GzipStream.accepted(req.header(HttpHeaders.ACCEPT_ENCODING));
    }

    private void startGzip(HttpResponse r) {
        r.gzip = new GzipStream(sl.gzipPool);
        r.headers().set("Content-Encoding", "gzip");
        r.headers().add("Vary", "Accept-Encoding");
    }

    /** Writes already-encoded body bytes (gzip output) as one chunk. */
    private void writeRaw(HttpResponse r, ByteBuffer bytes) {
        if (r.chunked) {
            Http1ResponseEncoder.writeChunkHeader(room(20), bytes.remaining());
        }
        putBytes(bytes);
        if (r.chunked) {
            Http1ResponseEncoder.writeChunkEnd(room(2));
        }
    }

    private boolean isBodyless(HttpResponse r) {
        return req.head().method().equals("HEAD") || r.status() == 204 || r.status() == 304;
    }

    /** Copies {@code src} into the scratch buffer, flushing as it fills. */
    private void putBytes(ByteBuffer src) {
        ByteBuffer out = sl.claim(this);
        while (src.hasRemaining()) {
            if (!out.hasRemaining()) {
                flushOut();
            }
            if (out.position() == 0 && src.remaining() >= out.capacity()) {
                conn.write(src); // big body: straight to the socket, no staging copy
                return;
            }
            int n = Math.min(out.remaining(), src.remaining());
            out.put(out.position(), src, src.position(), n);
            out.position(out.position() + n);
            src.position(src.position() + n);
        }
    }

    /** Writes what this connection has in the scratch buffer. */
    void flushOut() {
        ByteBuffer out = sl.out;
        if (out.position() == 0 || conn.isClosed()) {
            sl.released(this);
            return;
        }
        out.flip();
        server.bytesOut(out.remaining());
        if (!conn.isEnding()) {
            conn.write(out);
        }
        out.clear();
        sl.released(this);
    }

    private void onDrain() {
        if (res != null && res.committed && !res.ended) {
            res.drained();
        }
        if (state != CLOSED && pausedByUs) {
            pauseIfBacklogged();
            if (!pausedByUs) {
                kick();
            }
        }
    }

    private void responseFinished(HttpResponse r) {
        List<Runnable> hooks = r.finishHooks();
        server.finished(req, r);
        if (hooks != null) {
            for (Runnable h : hooks) {
                try {
                    h.run();
                } catch (Throwable t) {
                    conn.loop().reportUncaught(t);
                }
            }
        }
        if (closeAfterResponse) {
            flushOut();
            state = CLOSED;
            conn.close();
            return;
        }
        if (state == DONE_READING) {
            exchangeDone();
        } else if (state == BODY) {
            discarding = true; // skip the rest of the body, then serve the next request
            if (!processing) {
                conn.loop().queueMicrotask(this::kick);
            }
            setPaused(false);
        }
    }

    private void exchangeDone() {
        req = null;
        res = null;
        parser.reset();
        state = HEAD;
        phase = PHASE_IDLE;
        phaseStart = System.nanoTime();
        if (!processing) {
            processPending();
            if (state != CLOSED) {
                pauseIfBacklogged();
            }
            flushOut();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Errors, deadlines, shutdown

    private void respondError(int status, String reason) {
        if (state == CLOSED) {
            return;
        }
        if (res != null && res.committed) {
            state = CLOSED;
            flushOut();
            conn.destroy();
            return;
        }
        byte[] body = (Http1ResponseEncoder.reasonPhrase(status) + (reason == null ? "" : ": " + reason) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = room(256 + body.length);
        Http1ResponseEncoder.writeStatusLine(out, status);
        out.put(serverLine);
        sl.date.write(out, System.currentTimeMillis());
        Http1ResponseEncoder.writeHeader(out, HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
        Http1ResponseEncoder.writeContentLength(out, body.length);
        out.put(CONN_CLOSE);
        Http1ResponseEncoder.writeEndOfHead(out);
        out.put(body);
        server.rejected(status);
        state = CLOSED;
        flushOut();
        conn.close();
    }

    private void failBody(int status, String reason) {
        if (req != null && !req.failed) {
            try {
                req.deliverError(new HttpException(status, reason));
            } catch (Throwable t) {
                conn.loop().reportUncaught(t);
            }
        }
        respondError(status, reason);
    }

    void handlerFailed(Throwable t) {
        if (state == CLOSED || req == null) {
            return;
        }
        server.handleError(req, res, t);
    }

    void checkDeadlines(long now) {
        HttpOptions o = server.options();
        long elapsed = now - phaseStart;
        switch (phase) {
            case PHASE_IDLE -> {
                long limit = o.keepAliveTimeout().toNanos();
                if (shuttingDown) {
                    limit = Math.min(limit, DRAIN_IDLE_QUIET_NANOS);
                }
                if (elapsed >= limit && !processing) {
                    state = CLOSED;
                    conn.close();
                }
            }
            case PHASE_HEAD -> {
                if (elapsed >= o.headerTimeout().toNanos()) {
                    respondError(408, "request head not received within header-timeout ("
                            + o.headerTimeout().toMillis() + " ms)");
                }
            }
            case PHASE_BODY -> checkBodyRate(now, o);
            default -> { }
        }
    }

    private void checkBodyRate(long now, HttpOptions o) {
        long window = o.bodyRateWindow().toNanos();
        if (o.minBodyRate() == 0 || now - rateWindowStart < window) {
            return;
        }
        // Only a client that is slow on its own counts: not while we paused it for backpressure.
        boolean heldByUs = pausedByUs || req == null || req.paused || !req.flowing;
        long needed = o.minBodyRate() * (now - rateWindowStart) / 1_000_000_000L;
        if (!heldByUs && state == BODY && rateWindowBytes < needed) {
            failBody(408, "request body slower than min-body-rate (" + o.minBodyRate() + " B/s)");
            return;
        }
        rateWindowStart = now;
        rateWindowBytes = 0;
    }

    void shutdown() {
        shuttingDown = true;
        if (phase == PHASE_IDLE || (phase == PHASE_HEAD && !parser.inProgress())) {
            if (System.nanoTime() - phaseStart >= Math.min(DRAIN_IDLE_QUIET_NANOS, server.options().keepAliveTimeout().toNanos())) {
                state = CLOSED;
                conn.close();
            }
            // else: the sweep closes it once quiet (checkDeadlines), or its next request is
            // answered with Connection: close (begin() reads shuttingDown).
        } else {
            closeAfterResponse = true; // answer what is in flight, with Connection: close
            Runnable hook = res != null && !res.ended ? res.shutdownHook() : null;
            if (hook != null) {
                try {
                    hook.run();
                } catch (Throwable t) {
                    handlerFailed(t);
                }
            }
        }
    }

    private void onClose(Throwable cause) {
        sl.remove(this);
        if (res != null) {
            try {
                res.closed(cause);
            } catch (Throwable t) {
                conn.loop().reportUncaught(t);
            }
        }
        if (res != null && res.gzip != null) {
            res.gzip.release(); // the deflater's native memory goes back even when the client left
            res.gzip = null;
        }
        if (state == UPGRADED) {
            return;
        }
        if (state != CLOSED && req != null && !req.ended && !req.failed) {
            req.deliverError(cause != null ? cause : new HttpException(400, "connection closed before the body ended"));
        }
        state = CLOSED;
        server.closed(this, req, res);
    }
}
