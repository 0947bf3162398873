package io.eventide.http.internal.codec;

/**
 * Byte-level state machine over an HTTP/1.1 message head (RFC 9112 §2.1): the request line and
 * header fields, or, in trailer mode, only the fields of a chunked body's trailer section
 * (RFC 9112 §7.1.2). It validates every byte once, as it arrives, and records where each part
 * starts and ends instead of copying it; the caller builds strings only once the head is complete.
 *
 * <p>Offsets are relative to the first byte of the head, so the caller may scan a prefix in the
 * peer's buffer, copy that prefix elsewhere and continue there: {@link #scan} takes the array and
 * the index of the head's first byte on every call, and resumes at the byte after the last one it
 * saw. Each decision depends only on the bytes seen so far, never on how they were split, which
 * is what makes whole, byte-at-a-time and split input give identical results.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
final class Http1HeadScanner {
    static final int NEED_MORE = 0;
    static final int DONE = 1;
    static final int ERROR = 2;

    private static final int METHOD = 0;
    private static final int TARGET_START = 1;
    private static final int TARGET = 2;
    private static final int VERSION = 3;
    private static final int LINE_CR = 4;
    private static final int LINE_LF = 5;
    private static final int FIELD_START = 6;
    private static final int NAME = 7;
    private static final int VALUE_OWS = 8;
    private static final int VALUE = 9;
    private static final int FIELD_LF = 10;
    private static final int END_LF = 11;
    private static final int FINISHED = 12;
    private static final int FAILED = 13;

    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
    private static final int VERSION_LENGTH = 8; // "HTTP/1.1"

    private final boolean trailers;
    private final int maxBytes;
    private final int maxLine;
    private final int maxFields;
    private final HeadLayout layout = new HeadLayout();

    private int state;
    private int pos;
    private int targetStart;
    private int targetEnd;
    private int queryIndex;
    /** Whether the request line's method, once complete, is {@code HEAD}: error answers then have no body. */
    private boolean headMethod;
    private int nameStart;
    private int nameEnd;
    private int valueStart;
    private int valueEnd;
    private int errorStatus;
    private String errorReason;

    /** With {@code trailers}, scans a trailer section: no request line, {@code max-trailer-bytes}. */
    Http1HeadScanner(Http1Limits limits, boolean trailers) {
        this.trailers = trailers;
        this.maxBytes = trailers ? limits.maxTrailerBytes() : limits.maxHeaderBytes();
        this.maxLine = limits.maxStartLineBytes();
        this.maxFields = limits.maxHeaderCount();
        reset();
    }

    void reset() {
        headMethod = false;
        state = trailers ? FIELD_START : METHOD;
        pos = 0;
        queryIndex = -1;
        layout.clear();
        errorStatus = 0;
        errorReason = null;
    }

    /**
     * Scans the new bytes of {@code b[base, base + available)}, where {@code b[base]} is the
     * head's first byte; returns {@link #NEED_MORE}, {@link #DONE} or {@link #ERROR}.
     */
    int scan(byte[] b, int base, int available) {
        int end = base + Math.min(available, maxBytes);
        int i = base + pos;
        while (i < end && state < FINISHED) {
            i = step(b, base, i, end);
        }
        pos = i - base;
        if (state < FINISHED && available > maxBytes) {
            tooLarge();
        }
        return result();
    }

    /** Fails because the head needs more than its byte limit: a byte lies beyond it. */
    void tooLarge() {
        fail(431, trailers
                ? "trailer section exceeds max-trailer-bytes (" + maxBytes + ")"
                : "request head exceeds max-header-bytes (" + maxBytes + ")");
    }

    /** Fails with a status and a reason that never quotes the peer's bytes. */
    void fail(int status, String reason) {
        if (state != FAILED) {
            state = FAILED;
            errorStatus = status;
            errorReason = reason;
        }
    }

    int result() {
        return state == FINISHED ? DONE : state == FAILED ? ERROR : NEED_MORE;
    }

    private int step(byte[] b, int base, int i, int end) {
        return switch (state) {
            case METHOD -> requestLine(b, base, i, end);
            case TARGET_START, TARGET -> target(b, base, i, end);
            case VERSION -> version(b, base, i, end);
            case LINE_CR -> lineEnd(b[i], i);
            case LINE_LF, FIELD_LF, END_LF -> lineFeed(b[i], base, i);
            case FIELD_START -> fieldLines(b, base, i, end);
            case NAME -> name(b, base, i, end);
            case VALUE_OWS -> valueOws(b, base, i, end);
            case VALUE -> value(b, base, i, end);
            default -> throw new IllegalStateException("state " + state);
        };
    }

    /**
     * Fast path for a request line that is whole and valid: one straight pass with no state
     * dispatch. Anything unusual (a split, a limit, an error) goes to the state machine from the
     * line's first byte, which reaches the same offsets or the exact error.
     */
    private int requestLine(byte[] b, int base, int i, int end) {
        if (i != base) {
            return method(b, base, i, end);
        }
        int lineLimit = Math.min(end, base + maxLine); // the CR may sit at base + maxLine
        int m = i;
        while (m < lineLimit && HttpChars.isTchar(b[m])) {
            m++;
        }
        int t = m + 1;
        int k = t;
        int query = -1;
        for (; k < lineLimit && HttpChars.isTarget(b[k]); k++) {
            if (query < 0 && b[k] == '?') {
                query = k;
            }
        }
        int v = k + 1;
        if (m == i || k == t || v + 9 >= end || v + 8 > base + maxLine
                || b[m] != ' ' || b[k] != ' ' || !HttpChars.isHttp1LineEnd(b, v)) {
            return method(b, base, i, end);
        }
        headMethod = isHead(b, i, m);
        layout.requestLine(m - base, t - base, k - base, query < 0 ? -1 : query - base, b[v + 7] - '0');
        state = FIELD_START;
        return v + 10;
    }

    /** Field lines, each whole and valid one taken in one straight pass (see {@link #requestLine}). */
    private int fieldLines(byte[] b, int base, int i, int end) {
        while (i < end) {
            int next = fieldLine(b, base, i, end);
            if (next < 0) {
                return fieldStart(b[i], base, i);
            }
            i = next;
        }
        return i;
    }

    /** {@return the index after a whole, valid field line at {@code i}, or -1} */
    private int fieldLine(byte[] b, int base, int i, int end) {
        int n = i;
        while (n < end && HttpChars.isTchar(b[n])) {
            n++;
        }
        if (n == i || n == end || b[n] != ':' || layout.fieldCount() == maxFields) {
            return -1;
        }
        int v = n + 1;
        while (v < end && HttpChars.isOws(b[v])) {
            v++;
        }
        int cr = HttpChars.skipFieldContent(b, v, end);
        while (cr < end && b[cr] == '\t') {
            cr = HttpChars.skipFieldContent(b, cr + 1, end);
        }
        if (cr + 1 >= end || b[cr] != '\r' || b[cr + 1] != '\n') {
            return -1;
        }
        layout.addField(i - base, n - base, v - base, HttpChars.trimOws(b, v, cr) - base);
        return cr + 2;
    }

    private static boolean isHead(byte[] b, int from, int to) {
        return to - from == 4 && b[from] == 'H' && b[from + 1] == 'E' && b[from + 2] == 'A' && b[from + 3] == 'D';
    }

    /** {@return whether the method of the request line, as far as it was read, is {@code HEAD}} */
    boolean headMethod() {
        return headMethod;
    }

    private int method(byte[] b, int base, int i, int end) {
        int stop = Math.min(end, base + maxLine);
        while (i < stop && HttpChars.isTchar(b[i])) {
            i++;
        }
        if (i == stop) {
            return stop == end ? i : lineTooLong(i);
        }
        // RFC 9112 §3: method SP request-target SP HTTP-version, exactly one SP each.
        if (b[i] != ' ' || i == base) {
            return fail(400, "invalid method", i);
        }
        headMethod = isHead(b, base, i);
        state = TARGET_START;
        return i + 1;
    }

    private int target(byte[] b, int base, int i, int end) {
        if (state == TARGET_START) {
            if (b[i] == ' ') {
                return fail(400, "invalid request line", i);
            }
            targetStart = i - base;
            state = TARGET;
        }
        int stop = Math.min(end, base + maxLine);
        for (; i < stop; i++) {
            byte c = b[i];
            if (!HttpChars.isTarget(c)) {
                break;
            }
            if (c == '?' && queryIndex < 0) {
                queryIndex = i - base;
            }
        }
        if (i == stop) {
            return stop == end ? i : lineTooLong(i);
        }
        if (b[i] != ' ') {
            return fail(400, "invalid request target", i);
        }
        targetEnd = i - base;
        state = VERSION;
        return i + 1;
    }

    private int version(byte[] b, int base, int i, int end) {
        // RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive.
        int start = base + targetEnd + 1;
        int stop = Math.min(Math.min(end, base + maxLine), start + VERSION_LENGTH);
        for (; i < stop; i++) {
            int k = i - start;
            byte c = b[i];
            boolean ok = k < 5 ? c == HTTP_SLASH[k] : k == 6 ? c == '.' : HttpChars.isDigit(c);
            if (!ok) {
                return fail(400, "invalid HTTP version", i);
            }
        }
        if (i < start + VERSION_LENGTH) {
            return i == end ? i : lineTooLong(i);
        }
        if (b[start + 5] != '1' || b[start + 7] > '1') {
            return fail(505, "HTTP version not supported", i);
        }
        // The method ends just before the target's first byte.
        layout.requestLine(targetStart - 1, targetStart, targetEnd, queryIndex, b[start + 7] - '0');
        state = LINE_CR;
        return i;
    }

    private int lineFeed(byte c, int base, int i) {
        if (c != '\n') {
            // RFC 9112 §2.2: a bare CR is invalid; rejecting is the safe reading.
            return fail(400, "bare CR", i);
        }
        if (state == FIELD_LF) {
            layout.addField(nameStart, nameEnd, valueStart, valueEnd);
        } else if (state == END_LF) {
            layout.headLength(i + 1 - base);
            state = FINISHED;
            return i + 1;
        }
        state = FIELD_START;
        return i + 1;
    }

    private int fieldStart(byte c, int base, int i) {
        if (c == '\r') {
            state = END_LF;
            return i + 1;
        }
        if (HttpChars.isTchar(c)) {
            if (layout.fieldCount() == maxFields) {
                return fail(431, (trailers ? "trailer section" : "request head")
                        + " exceeds max-header-count (" + maxFields + ")", i);
            }
            nameStart = i - base;
            state = NAME;
            return i + 1;
        }
        if (HttpChars.isOws(c)) {
            // RFC 9112 §5.2: obs-fold is rejected outside message/http; §2.2: so is whitespace
            // between the start line and the first field, since it could hide a field.
            return fail(400, "obsolete line folding", i);
        }
        return fail(400, c == '\n' ? "bare LF" : "invalid header name", i);
    }

    private int name(byte[] b, int base, int i, int end) {
        while (i < end && HttpChars.isTchar(b[i])) {
            i++;
        }
        if (i == end) {
            return i;
        }
        if (b[i] == ':') {
            nameEnd = i - base;
            state = VALUE_OWS;
            return i + 1;
        }
        // RFC 9112 §5.1: whitespace before the colon MUST be rejected with 400 (smuggling).
        return fail(400, HttpChars.isOws(b[i]) ? "whitespace before colon" : "invalid header name", i);
    }

    private int valueOws(byte[] b, int base, int i, int end) {
        while (i < end && HttpChars.isOws(b[i])) {
            i++;
        }
        if (i < end) {
            valueStart = i - base;
            state = VALUE;
        }
        return i;
    }

    private int value(byte[] b, int base, int i, int end) {
        while (i < end) {
            i = HttpChars.skipFieldContent(b, i, end);
            if (i == end) {
                return i;
            }
            byte c = b[i];
            if (c == '\r') {
                // The window holds the whole value, so trim trailing OWS here (RFC 9112 §5).
                valueEnd = HttpChars.trimOws(b, base + valueStart, i) - base;
                state = FIELD_LF;
                return i + 1;
            }
            if (c != '\t') {
                // RFC 9110 §5.5: CTLs other than HTAB, DEL, NUL and bare LF are invalid.
                return fail(400, c == '\n' ? "bare LF" : "invalid header value", i);
            }
            i++;
        }
        return i;
    }

    private int lineEnd(byte c, int i) {
        state = LINE_LF;
        return c == '\r' ? i + 1 : fail(400, c == '\n' ? "bare LF" : "invalid HTTP version", i);
    }

    private int lineTooLong(int i) {
        return fail(414, "request line exceeds max-request-line-bytes (" + maxLine + ")", i);
    }

    private int fail(int status, String reason, int i) {
        fail(status, reason);
        return i;
    }

    /** {@return where the parts of the head lie; complete once {@link #scan} returns DONE} */
    HeadLayout layout() {
        return layout;
    }

    // Shorthands for layout().x(i), kept for the response parser written against them.
    int fieldCount() {
        return layout.fieldCount();
    }

    int nameStart(int field) {
        return layout.nameStart(field);
    }

    int nameEnd(int field) {
        return layout.nameEnd(field);
    }

    int valueStart(int field) {
        return layout.valueStart(field);
    }

    int valueEnd(int field) {
        return layout.valueEnd(field);
    }

    int errorStatus() {
        return errorStatus;
    }

    String errorReason() {
        return errorReason;
    }
}
