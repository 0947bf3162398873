package io.eventide.http.internal.codec;

import java.nio.ByteBuffer;

/**
 * Writes HTTP/1.1 request lines (RFC 9112 §3) and checks what goes into a request head before it
 * is accepted, so a bad method, target or header is refused where the application passed it, not
 * later on the loop. Header fields and chunk framing are written with {@link Http1ResponseEncoder},
 * whose field syntax is the same for requests.
 *
 * <pre>
 *  checkMethod("GET"); checkTarget("/a?b=1");      at the API, throwing IllegalArgumentException
 *  writeRequestLine(out, "GET", "/a?b=1");          GET /a?b=1 HTTP/1.1 CRLF
 *  Http1ResponseEncoder.writeHeader(out, ...);      Name: value CRLF ...
 *  Http1ResponseEncoder.writeEndOfHead(out);        CRLF
 * </pre>
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Http1RequestEncoder {
    private static final byte[] VERSION = {' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'};

    private Http1RequestEncoder() {
    }

    /**
     * Checks that {@code method} is a token (RFC 9110 §9.1).
     *
     * @param method the method, case-sensitive
     * @throws IllegalArgumentException if it is empty or not a token
     */
    public static void checkMethod(String method) {
        if (method.isEmpty() || !method.chars().allMatch(c -> HttpChars.isTchar((char) c))) {
            throw new IllegalArgumentException("invalid method: not an HTTP token");
        }
    }

    /**
     * Checks a request target in origin form ({@code /path?query}) or asterisk form ({@code *}):
     * visible ASCII only, no {@code #} (RFC 9112 §3.2), so it cannot split the request line.
     *
     * @param target the target, already percent-encoded
     * @throws IllegalArgumentException if it is not a valid origin-form or asterisk-form target
     */
    public static void checkTarget(String target) {
        if (!target.startsWith("/") && !target.equals("*")) {
            throw new IllegalArgumentException("request target must start with '/' (or be '*')");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c >= 0x80 || !HttpChars.isTarget((byte) c)) {
                throw new IllegalArgumentException("invalid character in request target at index " + i
                        + ": percent-encode spaces, controls, '#' and non-ASCII");
            }
        }
    }

    /**
     * Checks a header field as {@link Http1ResponseEncoder#writeHeader} will write it.
     *
     * @param name a token (RFC 9110 §5.1)
     * @param value ISO-8859-1 text without controls other than HTAB (RFC 9110 §5.5)
     * @throws IllegalArgumentException if the name is not a token or the value holds a control
     *     character, DEL or a char above U+00FF; the message never echoes the value
     */
    public static void checkHeader(String name, String value) {
        if (name.isEmpty() || !name.chars().allMatch(c -> HttpChars.isTchar((char) c))) {
            throw new IllegalArgumentException("invalid header name");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < ' ' || c == 0x7F || c > 0xFF)) {
                throw new IllegalArgumentException("invalid header value for " + name);
            }
        }
    }

    /**
     * {@return the bytes {@link #writeRequestLine} writes}
     *
     * @param method the method
     * @param target the request target
     */
    public static int requestLineLength(String method, String target) {
        return method.length() + 1 + target.length() + VERSION.length;
    }

    /**
     * Writes {@code <method> SP <target> SP HTTP/1.1 CRLF}. Both parts must have passed
     * {@link #checkMethod} and {@link #checkTarget}.
     *
     * @param out destination, with at least {@link #requestLineLength} bytes of room
     * @param method the method
     * @param target the request target
     */
    public static void writeRequestLine(ByteBuffer out, String method, String target) {
        putAscii(out, method);
        out.put((byte) ' ');
        putAscii(out, target);
        out.put(VERSION);
    }

    private static void putAscii(ByteBuffer out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.put((byte) s.charAt(i));
        }
    }
}
