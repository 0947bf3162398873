package io.eventide.http.internal.server;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The request body as the application sees it: a stream that flows only once the handler asks
 * ({@code onData}, {@code body()}), with its end and its failure delivered once each, a
 * {@code 100 Continue} sent when it is first asked for, and a declared length over the limit
 * answered 413 as soon as it is asked for. What the application throws goes to the server's error
 * handling, never into the connection's reading.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class BodyStream {
    private final Http1ServerConnection c;

    BodyStream(Http1ServerConnection c) {
        this.c = c;
    }

    /** Delivers body bytes (a view valid during the call) and progress to the application. */
    void data(Exchange e, ByteBuffer data) {
        try {
            if (e.onData != null) {
                e.onData.accept(data);
            } else {
                data.position(data.limit());
            }
            if (e.onProgress != null) {
                e.onProgress.update(e.received, e.head.contentLength());
            }
        } catch (Throwable t) {
            c.handlerFailed(t);
        }
    }

    /** Delivers the end of the body to the application. */
    void end(Exchange e) {
        e.bodyEnded = true;
        Runnable r = e.onEnd;
        e.onEnd = null;
        if (r != null) {
            try {
                r.run();
            } catch (Throwable t) {
                c.handlerFailed(t);
            }
        }
    }

    /** The request's flow state changed (onData attached, pause, resume). */
    void flowChanged(Exchange e) {
        if (e != c.current()) {
            return; // a late call on a finished exchange: its body is gone
        }
        if (c.readingBody() && e.flowing && !e.paused && e.head.expect100Continue() && !c.continueSent && !e.committed) {
            c.continueSent = true;
            c.writer.interimContinue();
            if (!c.processing) {
                c.writer.flush();
            }
        }
        if (c.readingBody() && e.flowing && !e.paused && !c.decoder.chunked()
                && e.received + c.decoder.remaining() > e.maxBodyBytes) {
            c.failBody(413, "request body exceeds max-body-bytes (" + e.maxBodyBytes + ")");
            return;
        }
        if (c.bodyDone() && e.bodyEnded && e.flowing) {
            // Body already complete (or none) when the handler attached: deliver the end later,
            // after the handler's current callback, like a stream's 'end' on the next tick.
            c.connection().loop().queueMicrotask(() -> {
                if (e == c.current() && !e.bodyFailed) {
                    end(e);
                }
            });
            return;
        }
        if (!c.processing) {
            // Resume delivery of bytes already buffered, after the caller's code has run.
            c.connection().loop().queueMicrotask(c::kick);
        }
    }

    /** Delivers a body failure (limit, timeout, connection lost) to the application, once. */
    void failed(Exchange e, Throwable cause) {
        e.bodyFailed = true;
        Consumer<Throwable> h = e.onError;
        e.onError = null;
        if (h != null) {
            try {
                h.accept(cause);
            } catch (Throwable t) {
                c.connection().loop().reportUncaught(t);
            }
        }
    }
}
