package io.eventide.http.internal.codec;

/**
 * Byte-level readers for the field values that decide message framing: {@code Content-Length},
 * {@code Transfer-Encoding} and {@code Connection}. They run on bytes the scanner has validated,
 * and allocate nothing.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class FieldValues {
    /** {@code Connection} tokens (RFC 9110 §7.6.1). */
    static final int CLOSE = 1;
    static final int KEEP_ALIVE = 2;
    static final int UPGRADE = 4;

    /** {@code Transfer-Encoding} summary bits, accumulated over every field line in order. */
    static final int TE_PRESENT = 1;
    static final int TE_CHUNKED = 2;
    static final int TE_LAST_CHUNKED = 4;
    static final int TE_OTHER = 8;
    static final int TE_INVALID = 16;

    private static final byte[] CLOSE_TOKEN = {'c', 'l', 'o', 's', 'e'};
    private static final byte[] KEEP_ALIVE_TOKEN = {'k', 'e', 'e', 'p', '-', 'a', 'l', 'i', 'v', 'e'};
    private static final byte[] UPGRADE_TOKEN = {'u', 'p', 'g', 'r', 'a', 'd', 'e'};
    private static final byte[] CHUNKED_TOKEN = {'c', 'h', 'u', 'n', 'k', 'e', 'd'};

    private FieldValues() {
    }

    /**
     * Parses {@code Content-Length = 1*DIGIT} (RFC 9110 §8.6). A list such as {@code 5, 5} is
     * refused rather than collapsed: a server that collapses it and a proxy that does not would
     * frame the message differently.
     *
     * @return the length, or -1 if the value is empty, not all digits, or overflows a long
     */
    static long contentLength(byte[] b, int off, int end) {
        if (off == end) {
            return -1;
        }
        long value = 0;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (!HttpChars.isDigit(c)) {
                return -1;
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * Checks {@code Host = uri-host [ ":" port ]} (RFC 9112 §3.2, RFC 3986 §3.2.2 and §3.2.3): an
     * IP-literal in brackets, or a reg-name of unreserved, percent-encoded and sub-delim
     * characters (which covers IPv4 addresses), then an optional colon and digits. An empty value
     * is valid (a target without an authority). Issue 9, defect 3: {@code Host: a b} was accepted.
     *
     * @return whether the value is a valid Host
     */
    static boolean isValidHost(byte[] b, int off, int end) {
        int i = off;
        if (i < end && b[i] == '[') {
            int close = i + 1;
            while (close < end && b[close] != ']') {
                if (!isIpLiteralChar(b[close])) {
                    return false;
                }
                close++;
            }
            if (close == end || close == i + 1) {
                return false;
            }
            i = close + 1;
        } else {
            while (i < end && b[i] != ':') {
                if (b[i] == '%') {
                    if (i + 2 >= end || !HttpChars.isHexDigit(b[i + 1]) || !HttpChars.isHexDigit(b[i + 2])) {
                        return false;
                    }
                    i += 3;
                    continue;
                }
                if (!isRegNameChar(b[i])) {
                    return false;
                }
                i++;
            }
        }
        if (i == end) {
            return true;
        }
        if (b[i] != ':') {
            return false;
        }
        for (i++; i < end; i++) {
            if (!HttpChars.isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** unreserved / sub-delims (RFC 3986 §2.2, §2.3). */
    private static boolean isRegNameChar(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || HttpChars.isDigit(c)
                || c == '-' || c == '.' || c == '_' || c == '~'
                || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')'
                || c == '*' || c == '+' || c == ',' || c == ';' || c == '=';
    }

    /** Inside brackets: IPv6address and IPvFuture use hex digits, dots, colons and reg-name chars. */
    private static boolean isIpLiteralChar(byte c) {
        return isRegNameChar(c) || c == ':';
    }

    /** {@return the {@link #CLOSE}, {@link #KEEP_ALIVE} and {@link #UPGRADE} tokens present} */
    static int connectionTokens(byte[] b, int off, int end) {
        int tokens = 0;
        int i = off;
        while (i < end) {
            int start = skipSeparators(b, i, end);
            i = elementEnd(b, start, end);
            int len = trimEnd(b, start, i) - start;
            if (HttpChars.equalsLower(b, start, len, CLOSE_TOKEN)) {
                tokens |= CLOSE;
            } else if (HttpChars.equalsLower(b, start, len, KEEP_ALIVE_TOKEN)) {
                tokens |= KEEP_ALIVE;
            } else if (HttpChars.equalsLower(b, start, len, UPGRADE_TOKEN)) {
                tokens |= UPGRADE;
            }
        }
        return tokens;
    }

    /**
     * Folds one {@code Transfer-Encoding} field line into {@code flags} (RFC 9112 §6.1): the
     * codings of several lines form one list in order. {@code chunked} twice, or with parameters,
     * and a coding that is not a token set {@link #TE_INVALID}.
     */
    static int transferCodings(byte[] b, int off, int end, int flags) {
        flags |= TE_PRESENT;
        int i = off;
        while (i < end) {
            int start = skipSeparators(b, i, end);
            i = elementEnd(b, start, end);
            int elementEnd = trimEnd(b, start, i);
            if (elementEnd > start) {
                flags = coding(b, start, elementEnd, flags);
            }
        }
        return flags;
    }

    private static int coding(byte[] b, int start, int end, int flags) {
        int nameEnd = start;
        while (nameEnd < end && HttpChars.isTchar(b[nameEnd])) {
            nameEnd++;
        }
        boolean parameters = nameEnd < end;
        if (nameEnd == start || (parameters && b[nameEnd] != ';' && !HttpChars.isOws(b[nameEnd]))) {
            return flags | TE_INVALID;
        }
        if (!HttpChars.equalsLower(b, start, nameEnd - start, CHUNKED_TOKEN)) {
            return (flags | TE_OTHER) & ~TE_LAST_CHUNKED;
        }
        if ((flags & TE_CHUNKED) != 0 || parameters) {
            // RFC 9112 §6.1: chunked MUST NOT be applied more than once, and has no parameters.
            return flags | TE_INVALID;
        }
        return flags | TE_CHUNKED | TE_LAST_CHUNKED;
    }

    private static int skipSeparators(byte[] b, int i, int end) {
        // RFC 9110 §5.6.1: empty list elements and the OWS around commas are ignored.
        while (i < end && (b[i] == ',' || HttpChars.isOws(b[i]))) {
            i++;
        }
        return i;
    }

    private static int elementEnd(byte[] b, int i, int end) {
        while (i < end && b[i] != ',') {
            i++;
        }
        return i;
    }

    private static int trimEnd(byte[] b, int start, int end) {
        while (end > start && HttpChars.isOws(b[end - 1])) {
            end--;
        }
        return end;
    }
}
