package io.eventide.http.internal.codec;

/**
 * A parsed response head (RFC 9112 §4 and §5): status line, header fields, and the framing the
 * parser derived from them, so the client never re-reads framing fields.
 *
 * <p>Body framing (RFC 9112 §6.3), in the order the client should test it:
 * <ol>
 *   <li>{@link #hasBody(boolean)} is false (a response to {@code HEAD}, 1xx, 204, 304): no body,
 *       whatever {@code Content-Length} or {@code Transfer-Encoding} say;</li>
 *   <li>{@link #chunked()}: decode the body with {@link ChunkedDecoder};</li>
 *   <li>{@link #contentLength()} {@code >= 0}: the body is exactly that many bytes;</li>
 *   <li>otherwise ({@link #closeDelimited()}): the body runs until the server closes the
 *       connection, which therefore cannot be reused.</li>
 * </ol>
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class HttpResponseHead {
    private final int status;
    private final String reason;
    private final HttpVersion version;
    private final Fields fields;
    private final long contentLength;
    private final boolean chunked;
    private final boolean keepAlive;

    HttpResponseHead(int status, String reason, HttpVersion version, Fields fields,
                     long contentLength, boolean chunked, boolean keepAlive) {
        this.status = status;
        this.reason = reason;
        this.version = version;
        this.fields = fields;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
    }

    /** {@return the status code, 100 to 599} */
    public int status() {
        return status;
    }

    /** {@return the reason phrase as received (possibly empty); registered phrases are interned} */
    public String reason() {
        return reason;
    }

    /** {@return the version of the response} */
    public HttpVersion version() {
        return version;
    }

    /** {@return the header fields, in the order received} */
    public Fields fields() {
        return fields;
    }

    /** {@return the {@code Content-Length}, or -1 if absent} */
    public long contentLength() {
        return contentLength;
    }

    /** {@return whether the body is chunked ({@code Transfer-Encoding: chunked})} */
    public boolean chunked() {
        return chunked;
    }

    /**
     * {@return whether the server lets the connection persist}: HTTP/1.1 without
     * {@code Connection: close}, or HTTP/1.0 with {@code Connection: keep-alive} (RFC 9112 §9.3).
     * A close-delimited body ends the connection whatever this says.
     */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** {@return whether this is an interim (1xx) response, followed by the final one} */
    public boolean isInterim() {
        return status < 200;
    }

    /**
     * {@return whether a body follows the head} (RFC 9112 §6.3 rules 1 and 2)
     *
     * @param requestWasHead whether the request was {@code HEAD}
     */
    public boolean hasBody(boolean requestWasHead) {
        return !requestWasHead && status >= 200 && status != 204 && status != 304;
    }

    /** {@return whether a body, if any, runs until the server closes (RFC 9112 §6.3 rule 8)} */
    public boolean closeDelimited() {
        return !chunked && contentLength < 0;
    }

    @Override
    public String toString() {
        return version.text() + " " + status + " " + reason + " " + fields;
    }
}
