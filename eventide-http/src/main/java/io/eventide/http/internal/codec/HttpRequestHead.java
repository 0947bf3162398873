package io.eventide.http.internal.codec;

/**
 * A parsed request head (RFC 9112 §3 and §5): request line, header fields, and the framing the
 * parser derived from them (RFC 9112 §6.3), so the connection never re-reads framing fields.
 *
 * <p>Body framing, in the order the connection should test it:
 * <ol>
 *   <li>{@link #chunked()}: the body is chunked; decode it with {@link ChunkedDecoder};</li>
 *   <li>{@link #contentLength()} {@code >= 0}: the body is exactly that many bytes;</li>
 *   <li>otherwise there is no body (a request never reads to end of stream, RFC 9112 §6.3).</li>
 * </ol>
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only. The
 * strings and the {@link #fields()} are immutable.
 */
public final class HttpRequestHead {
    private final String method;
    private final String target;
    private final String path;
    private final String query;
    private final HttpVersion version;
    private final Fields fields;
    private final long contentLength;
    private final int flags;

    static final int CHUNKED = 1;
    static final int KEEP_ALIVE = 2;
    static final int EXPECT_CONTINUE = 4;
    static final int UPGRADE = 8;

    HttpRequestHead(String method, String target, String path, String query, HttpVersion version,
                    Fields fields, long contentLength, int flags) {
        this.method = method;
        this.target = target;
        this.path = path;
        this.query = query;
        this.version = version;
        this.fields = fields;
        this.contentLength = contentLength;
        this.flags = flags;
    }

    /** {@return the method; known methods such as {@code GET} are interned constants} */
    public String method() {
        return method;
    }

    /** {@return the request target exactly as received, for example {@code /a/b?x=1}} */
    public String target() {
        return target;
    }

    /**
     * {@return the path of the target, still percent-encoded}: the part before {@code ?} of an
     * origin-form target; the path of an absolute-form target ({@code /} if it has none); the
     * whole target in authority-form ({@code CONNECT}) and asterisk-form ({@code OPTIONS *})
     */
    public String path() {
        return path;
    }

    /** {@return the raw query after the first {@code ?}, or {@code null} if there is none} */
    public String query() {
        return query;
    }

    /** {@return the protocol version of the request} */
    public HttpVersion version() {
        return version;
    }

    /**
     * {@return the header fields in the order received}: strings are made when asked for, so a
     * handler that never looks pays nothing for them
     */
    public Fields fields() {
        return fields;
    }

    /** {@return the {@code Content-Length}, or -1 if absent (always -1 when chunked)} */
    public long contentLength() {
        return contentLength;
    }

    /** {@return whether the body uses the chunked transfer coding} */
    public boolean chunked() {
        return (flags & CHUNKED) != 0;
    }

    /**
     * {@return whether the connection may stay open after the response}: HTTP/1.1 unless
     * {@code Connection} lists {@code close}; HTTP/1.0 only if it lists {@code keep-alive} and
     * not {@code close} (RFC 9112 §9.3)
     */
    public boolean keepAlive() {
        return (flags & KEEP_ALIVE) != 0;
    }

    /**
     * {@return whether the client waits for {@code 100 Continue} before sending the body}: an
     * HTTP/1.1 {@code Expect: 100-continue} (RFC 9110 §10.1.1 has servers ignore it from 1.0)
     */
    public boolean expect100Continue() {
        return (flags & EXPECT_CONTINUE) != 0;
    }

    /**
     * {@return whether the client asks to switch protocols}: an HTTP/1.1 request with an
     * {@code Upgrade} field and {@code upgrade} listed in {@code Connection} (RFC 9110 §7.8);
     * read the protocols from {@code headers().get("Upgrade")}
     */
    public boolean upgrade() {
        return (flags & UPGRADE) != 0;
    }

    /** {@return whether a body follows the head: chunked, or a positive content length} */
    public boolean hasBody() {
        return chunked() || contentLength > 0;
    }

    /** Shows the method and path only: targets and fields may carry credentials. */
    @Override
    public String toString() {
        return "HttpRequestHead[" + method + ' ' + path + ' ' + version.text() + ']';
    }
}
