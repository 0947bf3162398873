package io.eventide.http.internal.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Incremental, strict parser of HTTP/1.1 request heads (RFC 9112 §2 to §6). Feed it whatever the
 * socket delivered; it consumes bytes up to the end of the head and stops there, leaving the body
 * or the next pipelined request in the buffer.
 *
 * <pre>
 *  read ──&gt; parse(in) ──NEED_MORE──&gt; (all of in consumed; read again)
 *               │
 *               ├──HEAD_COMPLETE──&gt; head(); in.position() is just past the CRLF CRLF;
 *               │                   read the body per head().chunked()/contentLength(),
 *               │                   then reset() and parse the next request
 *               └──ERROR──────────&gt; respond errorStatus() with errorReason(), then close
 * </pre>
 *
 * <p>Nothing is allocated until the head is complete. When the whole head is in one heap buffer
 * (the common case) it is scanned in place and strings are made straight from that buffer;
 * otherwise the head's bytes are gathered in one reusable buffer and scanning resumes where it
 * stopped, never from the start. Results do not depend on how the bytes were split.
 *
 * <p>Strictness (status in parentheses): a method that is not a token, anything but one SP
 * between request-line parts, a target with controls, spaces, {@code #} or non-ASCII bytes (400);
 * {@code HTTP/x.y} other than 1.0 and 1.1 (505); a bare CR or bare LF, obs-fold, whitespace before
 * a colon, a control character in a value (400); a request line over its limit (414); a head over
 * its byte or field-count limit (431); a malformed or repeated {@code Content-Length}, both
 * {@code Content-Length} and {@code Transfer-Encoding}, {@code Transfer-Encoding} in HTTP/1.0 or
 * not ending in a single {@code chunked} (400); a coding other than {@code chunked} (501); a
 * missing or repeated {@code Host} in HTTP/1.1 (400). Limits are in {@link Http1Limits}.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
public final class Http1RequestParser {
    /** Outcome of {@link #parse}. */
    public enum Result {
        /** Every byte was consumed and the head is not complete yet. */
        NEED_MORE,
        /** The head is complete; {@link #head()} returns it. */
        HEAD_COMPLETE,
        /** The request is invalid; see {@link #errorStatus()} and {@link #errorReason()}. */
        ERROR
    }

    private final Http1Limits limits;
    private final Http1HeadScanner scanner;
    private final Http1HeadReader reader;
    private final RequestHeadBuilder builder;
    private Result result = Result.NEED_MORE;
    private HttpRequestHead head;

    /**
     * Creates a parser.
     *
     * @param limits the limits to enforce
     */
    public Http1RequestParser(Http1Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.scanner = new Http1HeadScanner(limits, false);
        this.reader = new Http1HeadReader(scanner, true, limits.maxHeaderBytes());
        this.builder = new RequestHeadBuilder(scanner);
    }

    /**
     * Consumes bytes from {@code in}, advancing its position. After {@link Result#NEED_MORE} the
     * buffer is drained; after {@link Result#HEAD_COMPLETE} its position is just past the head's
     * final CRLF; after {@link Result#ERROR} the position is unspecified. Once the result is
     * {@code HEAD_COMPLETE} or {@code ERROR}, further calls return it again and consume nothing
     * until {@link #reset()}.
     *
     * @param in bytes from the peer, heap or direct
     * @return the parse state after these bytes
     */
    public Result parse(ByteBuffer in) {
        if (result != Result.NEED_MORE) {
            return result;
        }
        int scanned = reader.feed(in);
        if (scanned == Http1HeadScanner.DONE) {
            head = builder.build(reader.window(), reader.windowBase());
            result = head != null ? Result.HEAD_COMPLETE : Result.ERROR;
        } else if (scanned == Http1HeadScanner.ERROR) {
            result = Result.ERROR;
        }
        return result;
    }

    /** {@return the result of the last {@link #parse} call, or {@code NEED_MORE} after reset} */
    public Result result() {
        return result;
    }

    /**
     * {@return the parsed head}
     *
     * @throws IllegalStateException if the last result was not {@code HEAD_COMPLETE}
     */
    public HttpRequestHead head() {
        if (head == null) {
            throw new IllegalStateException("no complete request head; result is " + result);
        }
        return head;
    }

    /** {@return the HTTP status to answer an invalid request with (400, 414, 431, 501, 505), or 0} */
    public int errorStatus() {
        return result == Result.ERROR ? scanner.errorStatus() : 0;
    }

    /**
     * {@return a short reason for the error, safe to log or send: it never quotes the peer's
     * bytes; {@code null} if there is no error}
     */
    public String errorReason() {
        return result == Result.ERROR ? scanner.errorReason() : null;
    }

    /**
     * {@return whether a request has begun arriving}: some of its bytes (or empty lines before it)
     * were consumed and the head is not complete. A connection closed in this state was cut off
     * mid-request; one closed otherwise was idle.
     */
    public boolean inProgress() {
        return result == Result.NEED_MORE && reader.inProgress();
    }

    /**
     * {@return whether the request's method was read and is {@code HEAD}}, also when the head then
     * failed or is incomplete: the answer to it, an error included, carries no body (RFC 9110
     * §9.3.2)
     */
    public boolean isHeadRequest() {
        return scanner.headMethod();
    }

    /** {@return the bytes this parser keeps between requests: none unless heads arrived in pieces} */
    int retainedBytes() {
        return reader.retainedBytes();
    }

    /** {@return the limits this parser enforces} */
    public Http1Limits limits() {
        return limits;
    }

    /**
     * Forgets the current request and gets ready for the next one on the same connection. Keeps
     * its buffers unless they grew large, so a keep-alive connection allocates nothing here.
     */
    public void reset() {
        reader.reset();
        result = Result.NEED_MORE;
        head = null;
    }
}
