package io.eventide.http.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental, strict parser of HTTP/1.1 response heads (RFC 9112 §4 to §6), the client's
 * counterpart of {@link Http1RequestParser}. Feed it whatever the socket delivered; it consumes
 * bytes up to the end of the head and stops there, leaving the body in the buffer.
 *
 * <pre>
 *  read ──&gt; parse(in) ──NEED_MORE──&gt; (all of in consumed; read again)
 *               │
 *               ├──HEAD_COMPLETE──&gt; head(); in.position() is just past the CRLF CRLF;
 *               │                   frame the body per head().hasBody/chunked/contentLength,
 *               │                   then reset() for the next response (or after a 1xx)
 *               └──ERROR──────────&gt; errorReason(); close the connection, never reuse it
 * </pre>
 *
 * <p>The status line {@code HTTP/1.x SP 3DIGIT SP reason CRLF} is checked here, byte by byte; the
 * field lines that follow have exactly the grammar of a trailer section, so they go through the
 * same {@link Http1HeadScanner} (in trailer mode) and {@link Http1HeadReader} as requests and
 * chunked trailers do, and get the same checks. Results do not depend on how the bytes were split.
 *
 * <p>Strictness: a version other than {@code HTTP/1.0} and {@code HTTP/1.1}; a status code that
 * is not three digits from 100 to 599; control characters in the reason phrase; a bare CR or LF,
 * obs-fold, whitespace before a colon, a control character in a value; a malformed or repeated
 * {@code Content-Length}; {@code Transfer-Encoding} together with {@code Content-Length}, in an
 * HTTP/1.0 response, or with any coding but a single final {@code chunked} (a client cannot
 * decode a transfer coding it did not ask for). One leniency, shared with llhttp and Go: the SP
 * after the status code may be missing when the reason phrase is empty, which cannot change
 * framing.
 *
 * <table>
 *   <caption>Limits (from {@link Http1Limits})</caption>
 *   <tr><th>limit</th><th>bounds</th></tr>
 *   <tr><td>{@code maxStartLineBytes}</td><td>the status line, CRLF excluded
 *       (reported as {@code max-status-line-bytes})</td></tr>
 *   <tr><td>{@code maxHeaderBytes}</td><td>the field lines and the final empty line</td></tr>
 *   <tr><td>{@code maxHeaderCount}</td><td>the number of field lines</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
public final class Http1ResponseParser {
    /** Outcome of {@link #parse}. */
    public enum Result {
        /** Every byte was consumed and the head is not complete yet. */
        NEED_MORE,
        /** The head is complete; {@link #head()} returns it. */
        HEAD_COMPLETE,
        /** The response is malformed; see {@link #errorReason()}. */
        ERROR
    }

    private static final byte[] HTTP_1 = {'H', 'T', 'T', 'P', '/', '1', '.'};
    private static final int VERSION = 0;
    private static final int MINOR = 1;
    private static final int SP = 2;
    private static final int CODE = 3;
    private static final int CODE_END = 4;
    private static final int REASON = 5;
    private static final int LINE_LF = 6;
    private static final int FIELDS = 7;

    private final Http1Limits limits;
    private final Http1HeadScanner scanner;
    private final Http1HeadReader reader;
    private int state;
    private int lineBytes;
    private int versionIndex;
    private int minor;
    private int status;
    private int codeDigits;
    private byte[] reason;
    private int reasonLength;
    private Result result = Result.NEED_MORE;
    private HttpResponseHead head;
    private String errorReason;

    /**
     * Creates a parser.
     *
     * @param limits the limits to enforce
     */
    public Http1ResponseParser(Http1Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        // The field section is scanned like a trailer section, bounded by the header limits.
        Http1Limits fields = new Http1Limits(limits.maxStartLineBytes(), limits.maxHeaderBytes(),
                limits.maxHeaderCount(), limits.maxChunkLineBytes(), limits.maxHeaderBytes());
        this.scanner = new Http1HeadScanner(fields, true);
        this.reader = new Http1HeadReader(scanner, false, limits.maxHeaderBytes());
    }

    /**
     * Consumes bytes from {@code in}, advancing its position. After {@link Result#NEED_MORE} the
     * buffer is drained; after {@link Result#HEAD_COMPLETE} its position is just past the head's
     * final CRLF; after {@link Result#ERROR} the position is unspecified. Once the result is
     * {@code HEAD_COMPLETE} or {@code ERROR}, further calls return it again and consume nothing
     * until {@link #reset()}.
     *
     * @param in bytes from the server, heap or direct
     * @return the parse state after these bytes
     */
    public Result parse(ByteBuffer in) {
        if (result != Result.NEED_MORE) {
            return result;
        }
        if (state != FIELDS && !statusLine(in)) {
            return result;
        }
        int scanned = reader.feed(in);
        if (scanned == Http1HeadScanner.DONE) {
            head = build(reader.window(), reader.windowBase());
            result = head != null ? Result.HEAD_COMPLETE : Result.ERROR;
        } else if (scanned == Http1HeadScanner.ERROR) {
            fail(fieldError(scanner.errorReason()));
        }
        return result;
    }

    /** {@return whether the status line is complete}; consumes up to its end, or fails. */
    private boolean statusLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte c = in.get();
            if (state < LINE_LF && c != '\r' && ++lineBytes > limits.maxStartLineBytes()) {
                return fail("status line exceeds max-status-line-bytes (" + limits.maxStartLineBytes() + ")");
            }
            boolean ok = switch (state) {
                case VERSION -> version(c);
                case MINOR -> minor(c);
                case SP -> next(c == ' ', CODE, "invalid status line");
                case CODE -> code(c);
                case CODE_END -> c == ' ' ? next(true, REASON, null)
                        : next(c == '\r', LINE_LF, "invalid status code");
                case REASON -> reason(c);
                default -> next(c == '\n', FIELDS, "bare CR");
            };
            if (!ok) {
                return false;
            }
            if (state == FIELDS) {
                return true;
            }
        }
        return false;
    }

    private boolean version(byte c) {
        // RFC 9112 §2.3: "HTTP" "/" DIGIT "." DIGIT, case-sensitive.
        if (c != HTTP_1[versionIndex]) {
            boolean otherVersion = versionIndex >= 5 && HttpChars.isDigit(c);
            return fail(otherVersion ? "unsupported HTTP version" : "invalid status line");
        }
        if (++versionIndex == HTTP_1.length) {
            state = MINOR;
        }
        return true;
    }

    private boolean minor(byte c) {
        if (c != '0' && c != '1') {
            return fail(HttpChars.isDigit(c) ? "unsupported HTTP version" : "invalid status line");
        }
        minor = c - '0';
        state = SP;
        return true;
    }

    private boolean code(byte c) {
        if (!HttpChars.isDigit(c)) {
            return fail("invalid status code");
        }
        status = status * 10 + (c - '0');
        if (++codeDigits == 3) {
            // RFC 9110 §15: a three-digit integer from 100 to 599.
            if (status < 100 || status > 599) {
                return fail("invalid status code");
            }
            state = CODE_END;
        }
        return true;
    }

    private boolean reason(byte c) {
        if (c == '\r') {
            state = LINE_LF;
            return true;
        }
        // RFC 9112 §4: reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ).
        if (c != '\t' && c != ' ' && !HttpChars.isFieldVchar(c)) {
            return fail(c == '\n' ? "bare LF" : "invalid reason phrase");
        }
        if (reason == null || reasonLength == reason.length) {
            reason = reason == null ? new byte[32] : Arrays.copyOf(reason, reason.length * 2);
        }
        reason[reasonLength++] = c;
        return true;
    }

    private boolean next(boolean ok, int nextState, String error) {
        if (!ok) {
            return fail(error);
        }
        state = nextState;
        return true;
    }

    private static String fieldError(String reason) {
        // The scanner in trailer mode names the trailer limits; here they bound the response head.
        return reason.replace("trailer section", "response head").replace("max-trailer-bytes", "max-header-bytes");
    }

    private HttpResponseHead build(byte[] b, int base) {
        ResponseFields f = new ResponseFields();
        for (int i = 0; i < scanner.fieldCount(); i++) {
            int nameStart = base + scanner.nameStart(i);
            int nameEnd = base + scanner.nameEnd(i);
            int valueStart = base + scanner.valueStart(i);
            int valueEnd = base + scanner.valueEnd(i);
            int id = KnownNames.headerId(b, nameStart, nameEnd - nameStart);
            String error = f.add(id, b, valueStart, valueEnd);
            if (error != null) {
                fail(error);
                return null;
            }
        }
        String error = f.check(minor);
        if (error != null) {
            fail(error);
            return null;
        }
        HttpVersion version = minor == 1 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
        return new HttpResponseHead(status, reasonPhrase(), version, Fields.copyOf(b, base, scanner.layout()),
                f.contentLength,
                f.codings != 0, f.keepAlive(minor));
    }

    private String reasonPhrase() {
        String registered = Http1ResponseEncoder.reasonPhrase(status);
        if (registered.length() == reasonLength) {
            boolean same = true;
            for (int i = 0; i < reasonLength && same; i++) {
                same = reason[i] == registered.charAt(i);
            }
            if (same) {
                return registered;
            }
        }
        return latin1(reason, 0, reasonLength);
    }

    private static String latin1(byte[] b, int start, int end) {
        return start == end ? "" : new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private boolean fail(String reason) {
        if (result != Result.ERROR) {
            result = Result.ERROR;
            errorReason = reason;
        }
        return false;
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
    public HttpResponseHead head() {
        if (head == null) {
            throw new IllegalStateException("no complete response head; result is " + result);
        }
        return head;
    }

    /** {@return a short reason for the error that never quotes the server's bytes, or {@code null}} */
    public String errorReason() {
        return result == Result.ERROR ? errorReason : null;
    }

    /** {@return whether some bytes of a head were consumed and the head is not complete yet} */
    public boolean inProgress() {
        return result == Result.NEED_MORE && (state != VERSION || lineBytes > 0);
    }

    /** {@return the limits this parser enforces} */
    public Http1Limits limits() {
        return limits;
    }

    /** Forgets the current head and gets ready for the next one (after a 1xx, or a new exchange). */
    public void reset() {
        reader.reset();
        state = VERSION;
        lineBytes = 0;
        versionIndex = 0;
        minor = 0;
        status = 0;
        codeDigits = 0;
        reasonLength = 0;
        result = Result.NEED_MORE;
        head = null;
        errorReason = null;
    }

    /** The framing fields of one response, read from the bytes as they go by. */
    private static final class ResponseFields {
        private long contentLength = -1;
        private int codings;
        private int connection;

        /** {@return an error, or null} */
        String add(int id, byte[] b, int valueStart, int valueEnd) {
            switch (id) {
                case KnownNames.CONTENT_LENGTH -> {
                    if (contentLength >= 0) {
                        // RFC 9112 §6.3 (5) allows merging equal duplicates; refusing is safer.
                        return "duplicate Content-Length";
                    }
                    contentLength = FieldValues.contentLength(b, valueStart, valueEnd);
                    return contentLength < 0 ? "invalid Content-Length" : null;
                }
                case KnownNames.TRANSFER_ENCODING ->
                        codings = FieldValues.transferCodings(b, valueStart, valueEnd, codings);
                case KnownNames.CONNECTION ->
                        connection |= FieldValues.connectionTokens(b, valueStart, valueEnd);
                default -> {
                    // Not a framing field.
                }
            }
            return null;
        }

        /** {@return an error in the framing as a whole, or null} */
        String check(int minor) {
            if (codings == 0) {
                return null;
            }
            if (minor == 0) {
                return "Transfer-Encoding in an HTTP/1.0 response";
            }
            // RFC 9112 §6.3 (3): both may be a smuggling attempt; a client MUST NOT reuse the
            // connection either way, and refusing the response is the safe reading.
            if (contentLength >= 0) {
                return "both Transfer-Encoding and Content-Length";
            }
            if ((codings & FieldValues.TE_INVALID) != 0) {
                return "invalid Transfer-Encoding";
            }
            if ((codings & FieldValues.TE_OTHER) != 0 || (codings & FieldValues.TE_LAST_CHUNKED) == 0) {
                return "unsupported transfer coding";
            }
            return null;
        }

        boolean keepAlive(int minor) {
            boolean close = (connection & FieldValues.CLOSE) != 0;
            return !close && (minor == 1 || (connection & FieldValues.KEEP_ALIVE) != 0);
        }
    }
}
