package io.eventide.http.internal.server;

import io.eventide.core.net.Connection;
import io.eventide.http.HttpHeaders;
import io.eventide.http.internal.codec.Http1ResponseEncoder;
import io.eventide.http.internal.codec.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Lays out one connection's responses in bytes: heads, chunk framing, trailers, interim and error
 * responses. Everything is encoded into the loop's scratch buffer ({@link ServerLoop#out}) and
 * written with one syscall when the connection flushes: at the end of a batch of pipelined
 * requests, or at once when a response is written outside a batch (from a timer). A body larger
 * than the scratch buffer goes to the socket directly, without a staging copy.
 *
 * <p>What the writer does not decide: whether the connection stays open, the framing, gzip. Those
 * are the connection's ({@link Http1ServerConnection}); the writer is told.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class ResponseWriter {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONN_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONN_KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Connection conn;
    private final ServerLoop sl;
    private final byte[] serverLine;
    /** Bytes set aside when another connection claimed the scratch buffer; written first. */
    private ByteBuffer stash;

    ResponseWriter(Connection conn, ServerLoop sl, byte[] serverLine) {
        this.conn = conn;
        this.sl = sl;
        this.serverLine = serverLine;
    }

    /**
     * Writes the head of {@code x}'s response.
     *
     * @param contentLength the Content-Length to send, or -1 for none
     * @param close whether to say {@code Connection: close}
     */
    void head(Exchange x, long contentLength, boolean close) {
        int size = 128 + serverLine.length + (x.contentType == null ? 0 : x.contentType.length() + 16)
                + fieldsLength(x.headers);
        ByteBuffer out = room(size);
        if (out.remaining() < size) {
            flush();
            ByteBuffer big = ByteBuffer.allocate(size);
            head(big, x, contentLength, close);
            big.flip();
            conn.write(big);
            return;
        }
        head(out, x, contentLength, close);
    }

    private void head(ByteBuffer out, Exchange x, long contentLength, boolean close) {
        Http1ResponseEncoder.writeStatusLine(out, x.status);
        out.put(serverLine);
        sl.writeDate(out);
        if (x.contentType != null) {
            Http1ResponseEncoder.writeHeader(out, HttpHeaders.CONTENT_TYPE, x.contentType);
        }
        if (x.chunked) {
            out.put(CHUNKED);
        } else if (contentLength >= 0) {
            Http1ResponseEncoder.writeContentLength(out, contentLength);
        }
        if (close) {
            out.put(CONN_CLOSE);
        } else if (x.head.version() == HttpVersion.HTTP_1_0) {
            out.put(CONN_KEEP_ALIVE);
        }
        writeFields(out, x.headers);
        Http1ResponseEncoder.writeEndOfHead(out);
    }

    /** Writes body bytes, framed as one chunk when {@code chunked}. */
    void body(ByteBuffer bytes, boolean chunked) {
        int n = bytes.remaining();
        if (n == 0) {
            return;
        }
        if (chunked) {
            Http1ResponseEncoder.writeChunkHeader(room(20), n);
        }
        put(bytes);
        if (chunked) {
            Http1ResponseEncoder.writeChunkEnd(room(2));
        }
    }

    /** Writes a chunk whose data is shared read-only with other connections: no copy. */
    void sharedChunk(ByteBuffer shared) {
        Http1ResponseEncoder.writeChunkHeader(room(20), shared.remaining());
        flush(); // what precedes the shared bytes must go first
        conn.writeShared(shared);
        Http1ResponseEncoder.writeChunkEnd(room(2));
    }

    /** Ends a chunked body with {@code trailers} (or none). */
    void lastChunk(HttpHeaders trailers) {
        ByteBuffer out = room(512 + fieldsLength(trailers));
        Http1ResponseEncoder.writeLastChunk(out);
        writeFields(out, trailers);
        Http1ResponseEncoder.writeEndOfHead(out);
    }

    private static void writeFields(ByteBuffer out, HttpHeaders fields) {
        if (fields != null) {
            for (int i = 0; i < fields.size(); i++) {
                Http1ResponseEncoder.writeHeader(out, fields.name(i), fields.value(i));
            }
        }
    }

    /** {@code 100 Continue}: the client may send the body it announced. */
    void interimContinue() {
        room(CONTINUE.length).put(CONTINUE);
    }

    /** {@code 101 Switching Protocols} with {@code headers}. */
    void switchingProtocols(HttpHeaders headers) {
        ByteBuffer out = room(256 + fieldsLength(headers));
        Http1ResponseEncoder.writeStatusLine(out, 101);
        writeFields(out, headers);
        Http1ResponseEncoder.writeEndOfHead(out);
    }

    /**
     * A complete error response with a short text body (none when {@code bodyless}, for a
     * {@code HEAD} request), always with {@code Connection: close}.
     */
    void error(int status, String reason, boolean bodyless) {
        byte[] body = (Http1ResponseEncoder.reasonPhrase(status) + (reason == null ? "" : ": " + reason) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = room(256 + serverLine.length + body.length);
        Http1ResponseEncoder.writeStatusLine(out, status);
        out.put(serverLine);
        sl.writeDate(out);
        Http1ResponseEncoder.writeHeader(out, HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
        Http1ResponseEncoder.writeContentLength(out, body.length);
        out.put(CONN_CLOSE);
        Http1ResponseEncoder.writeEndOfHead(out);
        if (!bodyless) {
            out.put(body);
        }
    }

    private static int fieldsLength(HttpHeaders hs) {
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
    ByteBuffer room(int n) {
        ByteBuffer out = sl.claim(this);
        if (out.remaining() < n) {
            flush();
            out = sl.claim(this);
        }
        return out;
    }

    /** Copies {@code src} into the scratch buffer, flushing as it fills. */
    void put(ByteBuffer src) {
        ByteBuffer out = sl.claim(this);
        while (src.hasRemaining()) {
            if (!out.hasRemaining()) {
                flush();
                out = sl.claim(this);
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

    /** Copies {@code ascii}, every char below 0x80, into the scratch buffer as bytes. */
    void putAscii(String ascii) {
        int n = ascii.length();
        ByteBuffer out = room(n);
        if (out.remaining() < n) {
            put(ByteBuffer.wrap(ascii.getBytes(StandardCharsets.US_ASCII)));
            return;
        }
        int p = out.position();
        for (int i = 0; i < n; i++) {
            out.put(p + i, (byte) ascii.charAt(i));
        }
        out.position(p + n);
    }

    /**
     * Another connection claims the scratch buffer: keep these bytes, and write them after the
     * current callback (a microtask), ahead of anything this connection encodes later.
     */
    void stash(ByteBuffer out) {
        out.flip();
        if (stash == null) {
            stash = ByteBuffer.allocate(Math.max(4096, out.remaining()));
            sl.loop.queueMicrotask(this::flush);
        } else if (stash.remaining() < out.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(stash.capacity() * 2, stash.position() + out.remaining()));
            stash.flip();
            stash = bigger.put(stash);
        }
        stash.put(out);
        out.clear();
    }

    /** Writes what this connection has set aside, then what it has in the scratch buffer. */
    void flush() {
        if (stash != null) {
            ByteBuffer s = stash.flip();
            stash = null;
            if (!conn.isClosed() && !conn.isEnding()) {
                sl.engine.bytesOut(s.remaining());
                conn.write(s);
            }
        }
        if (!sl.owns(this)) {
            return;
        }
        ByteBuffer out = sl.out;
        if (out.position() == 0 || conn.isClosed()) {
            sl.released(this);
            return;
        }
        out.flip();
        sl.engine.bytesOut(out.remaining());
        if (!conn.isEnding()) {
            conn.write(out);
        }
        out.clear();
        sl.released(this);
    }
}
