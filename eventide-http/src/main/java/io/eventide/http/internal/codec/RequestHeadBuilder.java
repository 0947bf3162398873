package io.eventide.http.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * Turns a completed, scanned request head into a {@link HttpRequestHead}. The request line
 * becomes strings (every handler needs it; known methods are interned constants); framing fields
 * are read straight from the bytes (RFC 9112 §6.3); the field lines are copied in one piece and
 * become strings only when a handler asks for them (see {@link Fields}). Checks that need
 * the whole head (Host, Content-Length against Transfer-Encoding) run here; a failure is recorded
 * on the scanner, so the parser reports it like any other error.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
final class RequestHeadBuilder {
    private static final byte[] CONTINUE_100 = "100-continue".getBytes(StandardCharsets.US_ASCII);

    private final Http1HeadScanner scanner;
    private final HeadLayout layout;
    private byte[] b;
    private int base;
    private int hosts;
    private long contentLength;
    private int codings;
    private int connection;
    private boolean expectContinue;
    private boolean upgradeField;

    RequestHeadBuilder(Http1HeadScanner scanner) {
        this.scanner = scanner;
        this.layout = scanner.layout();
    }

    /**
     * Builds the head from the scanned bytes.
     *
     * @param bytes the array holding the head
     * @param headBase index of the head's first byte in {@code bytes}
     * @return the head, or {@code null} after recording an error on the scanner
     */
    HttpRequestHead build(byte[] bytes, int headBase) {
        begin(bytes, headBase);
        try {
            return build();
        } finally {
            b = null; // do not pin the connection's read buffer between requests
        }
    }

    private HttpRequestHead build() {
        String method = KnownNames.method(b, base, layout.methodEnd());
        HttpVersion version = layout.versionMinor() == 1 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
        RequestTarget target = RequestTarget.parse(b, base, layout, method);
        if (target == null) {
            reject(400, "invalid request target");
            return null;
        }
        int count = layout.fieldCount();
        for (int field = 0; field < count; field++) {
            if (!readFraming(field)) {
                return null;
            }
        }
        if (!checkFraming(version)) {
            return null;
        }
        return new HttpRequestHead(method, target.raw(), target.path(), target.query(), version,
                Fields.copyOf(b, base, layout), contentLength, flags(version));
    }

    private void begin(byte[] bytes, int headBase) {
        b = bytes;
        base = headBase;
        hosts = 0;
        contentLength = -1;
        codings = 0;
        connection = 0;
        expectContinue = false;
        upgradeField = false;
    }

    /** Reads a field's framing meaning, if any, straight from its bytes. */
    private boolean readFraming(int field) {
        int nameStart = base + layout.nameStart(field);
        int nameLength = layout.nameEnd(field) - layout.nameStart(field);
        int valueStart = base + layout.valueStart(field);
        int valueEnd = base + layout.valueEnd(field);
        switch (KnownNames.framingId(b, nameStart, nameLength)) {
            case KnownNames.HOST -> {
                hosts++;
                if (!FieldValues.isValidHost(b, valueStart, valueEnd)) {
                    return reject(400, "invalid Host header");
                }
            }
            case KnownNames.CONTENT_LENGTH -> {
                return contentLength(valueStart, valueEnd);
            }
            case KnownNames.TRANSFER_ENCODING ->
                    codings = FieldValues.transferCodings(b, valueStart, valueEnd, codings);
            case KnownNames.CONNECTION ->
                    connection |= FieldValues.connectionTokens(b, valueStart, valueEnd);
            case KnownNames.EXPECT -> expectContinue |= HttpChars.equalsLower(b, valueStart,
                    valueEnd - valueStart, CONTINUE_100);
            case KnownNames.UPGRADE -> upgradeField = true;
            default -> {
                // Not a framing field: nothing to derive.
            }
        }
        return true;
    }

    private boolean contentLength(int valueStart, int valueEnd) {
        if (contentLength >= 0) {
            // RFC 9112 §6.3 allows merging equal duplicates; refusing them closes a smuggling gap.
            return reject(400, "duplicate Content-Length");
        }
        contentLength = FieldValues.contentLength(b, valueStart, valueEnd);
        if (contentLength < 0) {
            return reject(400, "invalid Content-Length");
        }
        return true;
    }

    private boolean checkFraming(HttpVersion version) {
        // RFC 9112 §3.2: a 1.1 request without Host, or with several, gets 400.
        if (hosts > 1) {
            return reject(400, "more than one Host header");
        }
        if (hosts == 0 && version == HttpVersion.HTTP_1_1) {
            return reject(400, "missing Host header");
        }
        if (codings == 0) {
            return true;
        }
        // RFC 9112 §6.1: a 1.0 request with Transfer-Encoding may be a smuggling attempt.
        if (version == HttpVersion.HTTP_1_0) {
            return reject(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
        // RFC 9112 §6.3 (3): TE with CL is a smuggling attempt; the server MUST close after it.
        if (contentLength >= 0) {
            return reject(400, "both Transfer-Encoding and Content-Length");
        }
        if ((codings & FieldValues.TE_INVALID) != 0) {
            return reject(400, "invalid Transfer-Encoding");
        }
        // RFC 9112 §6.3 (4): a request whose final coding is not chunked cannot be framed.
        if ((codings & FieldValues.TE_LAST_CHUNKED) == 0) {
            return reject(400, "Transfer-Encoding does not end with chunked");
        }
        // RFC 9112 §6.1: an unknown coding gets 501; only chunked is implemented.
        if ((codings & FieldValues.TE_OTHER) != 0) {
            return reject(501, "unsupported transfer coding");
        }
        return true;
    }

    private int flags(HttpVersion version) {
        boolean http11 = version == HttpVersion.HTTP_1_1;
        boolean close = (connection & FieldValues.CLOSE) != 0;
        boolean keepAlive = !close && (http11 || (connection & FieldValues.KEEP_ALIVE) != 0);
        int flags = keepAlive ? HttpRequestHead.KEEP_ALIVE : 0;
        if (codings != 0) {
            flags |= HttpRequestHead.CHUNKED;
        }
        if (http11 && expectContinue) {
            flags |= HttpRequestHead.EXPECT_CONTINUE;
        }
        // RFC 9110 §7.8: Upgrade counts only with "Connection: upgrade", and never in HTTP/1.0.
        if (http11 && upgradeField && (connection & FieldValues.UPGRADE) != 0) {
            flags |= HttpRequestHead.UPGRADE;
        }
        return flags;
    }

    private boolean reject(int status, String reason) {
        scanner.fail(status, reason);
        return false;
    }
}
