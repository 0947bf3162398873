package io.eventide.http.internal.server;

import io.eventide.http.internal.codec.HttpRequestHead;
import java.nio.ByteBuffer;

/**
 * The reading half of an {@link Http1ServerConnection}: bytes from the socket through the
 * {@link RequestDecoder}, a new {@link Exchange} per head, the body to the {@link BodyStream} (or
 * dropped, after an early answer), and backpressure: the socket is paused while the handler does
 * not take the body, while too many pipelined bytes wait, or while the write queue is full.
 * Pipelined bytes received while a response is pending wait in {@code pending} until it ends.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class RequestReader {
    /** Pipelined bytes kept while a response is pending, before reading pauses. */
    private static final int MAX_PENDING = 64 * 1024;

    private final Http1ServerConnection c;
    private ByteBuffer pending;

    RequestReader(Http1ServerConnection c) {
        this.c = c;
    }

    /** {@return whether reading is paused by the server} */
    boolean isPaused() {
        return c.pausedByUs;
    }

    /** {@return the bytes received after the last request head, for a protocol switch} */
    ByteBuffer takePending() {
        ByteBuffer rest = pending;
        pending = null;
        return rest;
    }

    /** The write queue drained: reading may go on. */
    void drained() {
        if (c.state != Http1ServerConnection.CLOSED && c.pausedByUs) {
            pauseIfBacklogged();
            if (!c.pausedByUs) {
                kick();
            }
        }
    }

    void onData(ByteBuffer buf) {
        c.engine.bytesIn(buf.remaining());
        if (c.state == Http1ServerConnection.CLOSED) {
            buf.position(buf.limit());
            return;
        }
        if (c.state == Http1ServerConnection.UPGRADED) {
            appendPending(buf); // the new protocol takes these over after the handler returns
            return;
        }
        if (pending != null && pending.position() > 0) {
            appendPending(buf);
            processPending();
        } else {
            process(buf);
            if (buf.hasRemaining() && c.state != Http1ServerConnection.CLOSED) {
                appendPending(buf);
                pauseIfBacklogged();
            }
        }
        c.writer.flush();
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
        // A c.body being c.discarded is always read (issue 9, defect 1): pausing it would also stop the
        // connection from seeing the client's FIN, and leave the socket in CLOSE-WAIT for good.
        boolean wantPause = c.state != Http1ServerConnection.CLOSED
                && ((c.state == Http1ServerConnection.BODY && !c.discarding && (!c.x.flowing || c.x.paused))
                        || (pending != null && pending.position() >= MAX_PENDING)
                        || c.conn.queuedBytes() >= c.options.tcp().highWatermark());
        setPaused(wantPause);
    }

    void setPaused(boolean pause) {
        if (pause == c.pausedByUs || c.conn.isClosed()) {
            return;
        }
        c.pausedByUs = pause;
        if (pause) {
            c.conn.pause();
        } else {
            c.conn.resume();
        }
    }

    private void process(ByteBuffer in) {
        c.clock = System.nanoTime();
        c.processing = true;
        try {
            while (in.hasRemaining()) {
                boolean progressed = switch (c.state) {
                    case Http1ServerConnection.HEAD -> readHead(in);
                    case Http1ServerConnection.BODY -> readBody(in);
                    default -> false;
                };
                if (!progressed) {
                    break;
                }
            }
        } finally {
            c.processing = false;
        }
    }

    private boolean readHead(ByteBuffer in) {
        c.deadlines.head(c.clock);
        switch (c.decoder.decodeHead(in)) {
            case NEED_MORE:
                return false;
            case ERROR:
                c.respondError(c.decoder.errorStatus(), c.decoder.errorReason());
                return false;
            default:
                begin(c.decoder.head());
                return true;
        }
    }

    private void begin(HttpRequestHead head) {
        c.x = new Exchange(c, c.out, head, c.options.maxBodyBytes());
        c.continueSent = false;
        c.discarding = false;
        c.closeAfterResponse = !head.keepAlive() || c.shuttingDown;
        c.state = head.hasBody() ? Http1ServerConnection.BODY : Http1ServerConnection.DONE_READING;
        c.deadlines.handler(c.clock);
        c.x.startNanos = c.clock;
        c.engine.dispatch(c.x);
    }

    private boolean readBody(ByteBuffer in) {
        if (!c.discarding) {
            if (!c.x.flowing || c.x.paused) {
                return false;
            }
            c.deadlines.body(c.clock);
        }
        switch (c.decoder.decodeBody(in)) {
            case DATA:
                deliver(c.decoder.data());
                if (c.decoder.bodyEnded() && c.state == Http1ServerConnection.BODY) {
                    bodyEnd();
                }
                return c.state != Http1ServerConnection.CLOSED;
            case END:
                bodyEnd();
                return c.state != Http1ServerConnection.CLOSED;
            case ERROR:
                c.failBody(c.decoder.errorStatus(), c.decoder.errorReason());
                return false;
            default:
                return false;
        }
    }

    private void deliver(ByteBuffer data) {
        int n = data.remaining();
        c.x.received += n;
        c.deadlines.bodyBytes(n);
        if (c.discarding) {
            data.position(data.limit());
            c.discarded += n;
            if (c.discarded > Http1ServerConnection.DISCARD_LIMIT) {
                c.lingeringClose(); // more than is worth skipping: this connection is done
            }
            return;
        }
        if (c.x.received > c.x.maxBodyBytes) {
            c.failBody(413, "request c.body exceeds max-c.body-bytes (" + c.x.maxBodyBytes + ")");
            return;
        }
        c.body.data(c.x, data);
    }

    private void bodyEnd() {
        c.state = Http1ServerConnection.DONE_READING;
        if (!c.discarding) {
            c.deadlines.handler(c.clock);
        }
        if (c.discarding) {
            c.x.bodyEnded = true;
            if (c.x.ended) {
                c.exchangeDone();
            }
            return;
        }
        c.body.end(c.x);
        if (c.x != null && c.x.ended && c.state == Http1ServerConnection.DONE_READING) {
            c.exchangeDone();
        }
    }

    /** Processes bytes already buffered (after the handler resumed, or the exchange ended). */
    void kick() {
        if (c.state == Http1ServerConnection.CLOSED || c.processing) {
            return;
        }
        processPending();
        if (c.state != Http1ServerConnection.CLOSED) {
            pauseIfBacklogged();
        }
        c.writer.flush();
    }
}
