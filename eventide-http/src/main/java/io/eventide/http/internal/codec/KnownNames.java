package io.eventide.http.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Interned method and header-name strings, matched on the raw bytes so the common case allocates
 * no {@code String}. Header names match case-insensitively (RFC 9110 §5.1); methods are
 * case-sensitive (RFC 9110 §9.1), so {@code get} is an unknown method, not {@code GET}.
 *
 * <p><b>Threading:</b> immutable tables; any thread.
 */
final class KnownNames {
    /** Header ids the request builder acts on; they index {@link #HEADERS}. */
    static final int HOST = 0;
    static final int CONTENT_LENGTH = 1;
    static final int TRANSFER_ENCODING = 2;
    static final int CONNECTION = 3;
    static final int EXPECT = 4;
    static final int UPGRADE = 5;

    private static final String[] HEADERS = {
        "Host", "Content-Length", "Transfer-Encoding",
        "Connection", "Expect", "Upgrade",
        "Accept", "Accept-Encoding", "Accept-Language",
        "Authorization", "Cache-Control", "Content-Encoding",
        "Content-Type", "Cookie", "Date",
        "If-Modified-Since", "If-None-Match", "Keep-Alive",
        "Origin", "Range", "Referer",
        "Sec-WebSocket-Extensions", "Sec-WebSocket-Key",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Version", "TE",
        "Trailer", "User-Agent", "X-Forwarded-For",
        "X-Forwarded-Proto", "Pragma", "Sec-Fetch-Dest", "Sec-Fetch-Mode",
        "Sec-Fetch-Site", "Sec-Fetch-User", "Upgrade-Insecure-Requests", "X-Requested-With",
        "DNT", "Priority", "Forwarded", "X-Real-IP", "Content-Disposition", "If-Match",
        "If-Unmodified-Since", "If-Range", "Proxy-Connection", "Via",
    };
    private static final String[] METHODS = {
        "GET", "PUT", "POST", "HEAD", "PATCH", "TRACE", "DELETE", "OPTIONS", "CONNECT",
    };
    private static final int MAX_NAME = 32;
    private static final byte[][] HEADER_LOWER = new byte[HEADERS.length][];
    /** Header ids grouped by name length, so a lookup compares against one or two names. */
    private static final int[][] HEADERS_BY_LENGTH = new int[MAX_NAME][];
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];

    static {
        for (int id = 0; id < HEADERS.length; id++) {
            HEADER_LOWER[id] = HEADERS[id].toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.US_ASCII);
            int len = HEADERS[id].length();
            int[] old = HEADERS_BY_LENGTH[len] == null ? new int[0] : HEADERS_BY_LENGTH[len];
            int[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = id;
            HEADERS_BY_LENGTH[len] = grown;
        }
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = METHODS[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private KnownNames() {
    }

    /** {@return the id of a known header name in {@code b[off, off+len)}, or -1} */
    static int headerId(byte[] b, int off, int len) {
        if (len >= MAX_NAME) {
            return -1;
        }
        int[] candidates = HEADERS_BY_LENGTH[len];
        if (candidates == null) {
            return -1;
        }
        for (int id : candidates) {
            if (HttpChars.equalsLower(b, off, len, HEADER_LOWER[id])) {
                return id;
            }
        }
        return -1;
    }

    /**
     * {@return the id of a framing header ({@link #HOST} to {@link #UPGRADE}) in
     * {@code b[off, off+len)}, or -1}: one length switch and at most one comparison, since the
     * request builder asks this of every field
     */
    static int framingId(byte[] b, int off, int len) {
        int id = switch (len) {
            case 4 -> HOST;
            case 14 -> CONTENT_LENGTH;
            case 17 -> TRANSFER_ENCODING;
            case 10 -> CONNECTION;
            case 6 -> EXPECT;
            case 7 -> UPGRADE;
            default -> -1;
        };
        return id >= 0 && HttpChars.equalsLower(b, off, len, HEADER_LOWER[id]) ? id : -1;
    }

    /** {@return the canonical, interned name for a header id} */
    static String headerName(int id) {
        return HEADERS[id];
    }

    /** {@return the interned name if known, else a new string of the bytes} */
    static String header(byte[] b, int off, int len) {
        int id = headerId(b, off, len);
        return id >= 0 ? HEADERS[id] : new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** {@return the interned method if known, else a new string of the bytes} */
    static String method(byte[] b, int off, int len) {
        for (int i = 0; i < METHODS.length; i++) {
            if (Arrays.equals(b, off, off + len, METHOD_BYTES[i], 0, METHOD_BYTES[i].length)) {
                return METHODS[i];
            }
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
