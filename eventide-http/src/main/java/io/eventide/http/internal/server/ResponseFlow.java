package io.eventide.http.internal.server;

import io.eventide.http.HttpHeaders;
import io.eventide.http.HttpOptions;
import io.eventide.http.internal.codec.HttpRequestHead;
import io.eventide.http.internal.codec.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The response half of an {@link Http1ServerConnection}: when the head goes out and with which
 * framing (Content-Length, chunked, or the end of the connection for HTTP/1.0), whether the
 * connection stays open after it, gzip by negotiation, and the end of a response. The bytes
 * themselves are laid out by the {@link ResponseWriter}.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class ResponseFlow {
    /** Shorter texts than this take {@link #endText}'s direct path; gzip starts at 1024 bytes. */
    private static final int SMALL_TEXT = 1024;

    private final Http1ServerConnection c;
    private final ResponseWriter writer;
    private final ServerLoop sl;
    private final HttpOptions options;

    ResponseFlow(Http1ServerConnection c, ResponseWriter writer, ServerLoop sl, HttpOptions options) {
        this.c = c;
        this.writer = writer;
        this.sl = sl;
        this.options = options;
    }

    /** Decides framing and keep-alive, then writes the head. */
    private void commit(Exchange e, long contentLength, boolean streaming) {
        e.committed = true;
        HttpRequestHead h = e.head;
        boolean bodyless = isBodyless(e);
        if (c.readingBody() && !e.flowing && ((!c.decoder.chunked() && c.decoder.remaining() > Http1ServerConnection.DISCARD_LIMIT)
                || (h.expect100Continue() && !c.continueSent))) {
            // Answering a body nobody reads: a rest too big to skip, or one the client will not send
            // without a 100 Continue, means closing. A body the handler reads (a streaming echo),
            // or a chunked one of unknown size, keeps the connection: what is left when the
            // response ends is skipped up to DISCARD_LIMIT (issue 9, defect 6; Node does the same).
            c.closeAfterResponse = true;
        }
        if (e.headers != null && e.headers.contains(HttpHeaders.CONNECTION)) {
            String value = e.headers.get(HttpHeaders.CONNECTION);
            e.headers.remove(HttpHeaders.CONNECTION); // written by the writer, exactly once
            if (value.equalsIgnoreCase("close")) {
                c.closeAfterResponse = true;
            }
        }
        if (streaming && contentLength < 0 && h.version() == HttpVersion.HTTP_1_0) {
            c.closeAfterResponse = true; // HTTP/1.0: the end of the body is the end of the connection
        }
        if (c.engine.isClosing()) {
            c.closeAfterResponse = true; // listeners closed: before this loop has even been told (that is async)
        }
        e.chunked = streaming && contentLength < 0 && h.version() != HttpVersion.HTTP_1_0 && !bodyless;
        boolean sendLength = contentLength >= 0 && e.status != 204 && !(e.status == 304 && e.declaredLength < 0);
        writer.head(e, sendLength ? contentLength : -1, c.closeAfterResponse);
    }

    boolean write(Exchange e, ByteBuffer chunk) {
        if (c.isDone()) {
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
        ByteBuffer body = e.gzip != null ? e.gzip.encode(chunk, false) : chunk;
        e.bodyBytes += body.remaining();
        writer.body(body, e.chunked);
        if (!c.processing) {
            writer.flush();
        }
        return c.connection().queuedBytes() < options.tcp().highWatermark();
    }

    boolean writeShared(Exchange e, ByteBuffer shared) {
        if (c.isDone() || !e.committed || e.gzip != null || !e.chunked) {
            return write(e, shared.duplicate());
        }
        if (!shared.hasRemaining()) {
            return true;
        }
        e.bodyBytes += shared.remaining();
        writer.sharedChunk(shared);
        if (!c.processing) {
            writer.flush();
        }
        return c.connection().queuedBytes() < options.tcp().highWatermark();
    }

    void end(Exchange e, ByteBuffer last) {
        if (c.isDone()) {
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
                e.bodyBytes += last.remaining();
                writer.put(last);
            }
        } else {
            if (e.gzip != null) {
                ByteBuffer tail = e.gzip.encode(last == null ? ByteBuffer.allocate(0) : last, true);
                e.gzip = null;
                e.bodyBytes += tail.remaining();
                writer.body(tail, e.chunked);
            } else if (last != null && last.hasRemaining()) {
                write(e, last);
            }
            if (e.chunked) {
                writer.lastChunk(e.trailers);
            }
        }
        e.ended = true;
        c.responseFinished(e);
    }

    /**
     * Ends the response with {@code text} as UTF-8. A short ASCII text (the common small answer)
     * goes straight from the string into the scratch buffer: no byte array, no wrapping buffer.
     */
    void endText(Exchange e, String text) {
        int n = text.length();
        if (n >= SMALL_TEXT || e.committed || e.declaredLength >= 0 || c.isDone() || !ascii(text)) {
            end(e, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            return;
        }
        commit(e, n, false); // below the gzip threshold: wantsGzip needs 1024 bytes
        if (!isBodyless(e)) {
            e.bodyBytes += n;
            writer.putAscii(text);
        }
        e.ended = true;
        c.responseFinished(e);
    }

    private static boolean ascii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    void sendFile(Exchange e, FileChannel file, long position, long count) {
        if (c.isDone()) {
            closeQuietly(file);
            e.ended = true;
            return;
        }
        commit(e, count, false);
        if (isBodyless(e) || count == 0) {
            closeQuietly(file);
        } else {
            writer.flush();
            e.bodyBytes += count;
            c.connection().sendFile(file, position, count, err -> closeQuietly(file));
        }
        e.ended = true;
        c.responseFinished(e);
    }

    private static void closeQuietly(FileChannel f) {
        try {
            f.close();
        } catch (java.io.IOException e) {
            // Closing a file we only read from: nothing was lost, nothing to report.
        }
    }

    /** Gzip by content negotiation (RFC 9110 §12.5.3) when enabled and worth it. */
    private boolean wantsGzip(Exchange e, boolean streaming, long len) {
        return options.gzip() && !isBodyless(e) && e.declaredLength < 0 && e.status != 206
                && (streaming || len >= 1024) && GzipStream.compressible(e.contentType)
                && (e.headers == null || !e.headers.contains(HttpHeaders.CONTENT_ENCODING))
                && GzipStream.accepted(e.head.fields().get(HttpHeaders.ACCEPT_ENCODING));
    }

    private void startGzip(Exchange e) {
        e.gzip = new GzipStream(sl.gzipPool);
        e.headers().set(HttpHeaders.CONTENT_ENCODING, "gzip");
        e.headers().add("Vary", HttpHeaders.ACCEPT_ENCODING);
    }

    static boolean isBodyless(Exchange e) {
        return e.head.method().equals("HEAD") || e.status == 204 || e.status == 304;
    }
}
