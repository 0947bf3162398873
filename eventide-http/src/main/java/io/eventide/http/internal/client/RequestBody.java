package io.eventide.http.internal.client;

import io.eventide.http.HttpHeaders;
import io.eventide.http.internal.codec.Http1RequestEncoder;
import io.eventide.http.internal.codec.Http1ResponseEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Set;

/**
 * The outgoing side of one request: frames the head and body onto the connection, and buffers
 * what is written before a connection is ready.
 *
 * <pre>
 *  write ──no connection yet──► parts (copies; "full" at the high watermark)
 *        ──attached──────────► [chunk-size CRLF] data [CRLF] ──► connection
 *  attach(c): head, then the parts; a body complete before the first attach is kept for replay
 * </pre>
 *
 * <p>Framing is decided at the first attach: a {@code Content-Length} set by the application
 * wins; a body complete by then gets its length; anything else is chunked. A body without bytes
 * gets no framing field at all, except {@code Content-Length: 0} for POST, PUT and PATCH, whose
 * servers may insist on one (RFC 9110 §8.6).
 *
 * <p><b>Threading:</b> loop-confined, owned by its {@link Http1ClientRequest}.
 */
final class RequestBody {
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
    private static final int UNDECIDED = 0;
    private static final int NO_BODY = 1;
    private static final int LENGTH = 2;
    private static final int CHUNKED = 3;

    private final Http1ClientRequest owner;
    private final int highWatermark;
    private final ArrayList<ByteBuffer> parts = new ArrayList<>();
    private long partsBytes;
    private boolean fixed;
    private int framing = UNDECIDED;
    private long length = -1;
    private long sent;
    private Http1ClientConnection connection;

    RequestBody(Http1ClientRequest owner, int highWatermark) {
        this.owner = owner;
        this.highWatermark = highWatermark;
    }

    /** {@return body bytes written by the application so far, sent or buffered} */
    long written() {
        return sent + partsBytes;
    }

    /** Keeps a whole body given to {@code send}, without copying it. */
    void keep(ByteBuffer whole) {
        if (whole.hasRemaining()) {
            parts.add(whole);
            partsBytes += whole.remaining();
        }
    }

    /**
     * Copies {@code chunk} until a connection is attached.
     *
     * @return false once the high watermark is reached
     */
    boolean buffer(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (n > 0) {
            parts.add(ByteBuffer.allocate(n).put(chunk).flip());
            partsBytes += n;
        }
        return partsBytes < highWatermark;
    }

    boolean isAttached() {
        return connection != null;
    }

    /** {@return whether a retry could send the same body again: kept whole, or not begun} */
    boolean replayable() {
        return fixed || sent == 0;
    }

    /**
     * Writes the head and the buffered body to {@code c}.
     *
     * @return false if {@code c} is full (wait for its drain) or the exchange failed meanwhile
     */
    boolean attach(Http1ClientConnection c, boolean ended, long declaredLength, String userAgent) {
        connection = c;
        if (framing == UNDECIDED) {
            decide(ended, declaredLength);
        }
        send(head(declaredLength < 0, userAgent));
        if (connection != c) {
            return false; // the write failed at once: the exchange is gone (or being retried)
        }
        boolean ok = true;
        if (fixed) {
            sent = 0; // a retry replays the kept body from its start
            for (ByteBuffer p : parts) {
                ok = write(p.duplicate());
            }
        } else {
            for (ByteBuffer p : parts) {
                ok = write(p);
            }
            parts.clear();
            partsBytes = 0;
        }
        return ok;
    }

    private void decide(boolean ended, long declaredLength) {
        fixed = ended;
        if (declaredLength >= 0) {
            framing = LENGTH;
            length = declaredLength;
        } else if (!ended) {
            framing = CHUNKED;
        } else if (partsBytes == 0 && !BODY_METHODS.contains(owner.method())) {
            framing = NO_BODY;
        } else {
            framing = LENGTH;
            length = partsBytes;
        }
    }

    private ByteBuffer head(boolean addLength, String userAgent) {
        HttpHeaders headers = owner.headers();
        String host = owner.origin().hostHeader();
        boolean addHost = !headers.contains(HttpHeaders.HOST);
        boolean addAgent = userAgent != null && !headers.contains(HttpHeaders.USER_AGENT);
        addLength &= framing == LENGTH;
        int size = Http1RequestEncoder.requestLineLength(owner.method(), owner.target()) + 2
                + (addHost ? Http1ResponseEncoder.headerLength(HttpHeaders.HOST, host) : 0)
                + (addAgent ? Http1ResponseEncoder.headerLength(HttpHeaders.USER_AGENT, userAgent) : 0)
                + (addLength ? Http1ResponseEncoder.headerLength(HttpHeaders.CONTENT_LENGTH, "") + 20 : 0)
                + (framing == CHUNKED ? Http1ResponseEncoder.headerLength(HttpHeaders.TRANSFER_ENCODING, "chunked") : 0);
        for (int i = 0; i < headers.size(); i++) {
            size += Http1ResponseEncoder.headerLength(headers.name(i), headers.value(i));
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        Http1RequestEncoder.writeRequestLine(out, owner.method(), owner.target());
        if (addHost) {
            Http1ResponseEncoder.writeHeader(out, HttpHeaders.HOST, host); // first, as RFC 9112 §3.2 advises
        }
        if (addAgent) {
            Http1ResponseEncoder.writeHeader(out, HttpHeaders.USER_AGENT, userAgent);
        }
        for (int i = 0; i < headers.size(); i++) {
            Http1ResponseEncoder.writeHeader(out, headers.name(i), headers.value(i));
        }
        if (addLength) {
            Http1ResponseEncoder.writeContentLength(out, length);
        } else if (framing == CHUNKED) {
            Http1ResponseEncoder.writeHeader(out, HttpHeaders.TRANSFER_ENCODING, "chunked");
        }
        Http1ResponseEncoder.writeEndOfHead(out);
        return out.flip();
    }

    /**
     * Frames and writes body bytes to the attached connection.
     *
     * @return false if it is full
     */
    boolean write(ByteBuffer data) {
        int n = data.remaining();
        if (n == 0) {
            return true;
        }
        sent += n;
        if (framing != CHUNKED) {
            return send(data);
        }
        ByteBuffer size = ByteBuffer.allocate(18);
        Http1ResponseEncoder.writeChunkHeader(size, n);
        send(size.flip());
        send(data);
        return send(ByteBuffer.wrap(CRLF));
    }

    /** Ends the body (the last chunk, if chunked) and tells the connection the request is out. */
    void finish() {
        if (framing == CHUNKED) {
            send(ByteBuffer.wrap(LAST_CHUNK));
        }
        Http1ClientConnection c = connection;
        if (c != null) {
            c.requestSent(owner);
        }
    }

    /** Writes to the current connection; drops the bytes if the exchange is gone. */
    private boolean send(ByteBuffer b) {
        Http1ClientConnection c = connection;
        if (c == null || !c.isCurrent(owner)) {
            b.position(b.limit());
            return true;
        }
        return c.write(b);
    }

    /** Forgets the connection (it died; a retry will attach a new one). */
    void detach() {
        connection = null;
    }

    /** Aborts the exchange on the attached connection, if any. */
    void abort(Throwable cause) {
        if (connection != null) {
            connection.abort(owner, cause);
        }
    }

    /** Drops buffered bytes once the exchange is over. */
    void clear() {
        parts.clear();
        partsBytes = 0;
    }
}
