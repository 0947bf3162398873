package io.eventide.http.internal.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes HTTP/1.1 response heads and chunk framing (RFC 9112 §4, §5, §7.1) straight into a
 * {@link ByteBuffer}. Status lines of registered codes are encoded once, at class load; numbers
 * are written digit by digit; names and values are copied char by char and checked on the way,
 * so a CR, LF or other control character from application code cannot split the response.
 *
 * <pre>
 *  writeStatusLine(out, 200);                 HTTP/1.1 200 OK CRLF
 *  dateCache.write(out, now);                 Date: ... CRLF
 *  writeContentLength(out, 13);               Content-Length: 13 CRLF
 *  writeHeaders(out, headers);                Name: value CRLF ...
 *  writeEndOfHead(out);                       CRLF
 *  -- or, for a chunked body --
 *  writeChunkHeader(out, n); data; writeChunkEnd(out); ... writeLastChunk(out, trailers)
 * </pre>
 *
 * <p>Every method throws {@link BufferOverflowException} if {@code out} lacks room; the bytes
 * written before that point are unspecified. Size buffers with {@link #headerLength}.
 *
 * <p><b>Threading:</b> stateless; any thread (each call writes only to its own {@code out}).
 */
public final class Http1ResponseEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SPACE = {':', ' '};
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] LAST_CHUNK = ascii("0\r\n");
    private static final byte[] VERSION = ascii("HTTP/1.1 ");
    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int status = 100; status < STATUS_LINES.length; status++) {
            String reason = reasonPhrase(status);
            if (!reason.isEmpty()) {
                STATUS_LINES[status] = ascii("HTTP/1.1 " + status + " " + reason + "\r\n");
            }
        }
    }

    private Http1ResponseEncoder() {
    }

    /**
     * Writes {@code HTTP/1.1 <status> <reason> CRLF}; unregistered codes get an empty reason, which
     * RFC 9112 §4 allows.
     *
     * @param out destination
     * @param status a three-digit status code, 100 to 999
     */
    public static void writeStatusLine(ByteBuffer out, int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits: " + status);
        }
        byte[] line = status < STATUS_LINES.length ? STATUS_LINES[status] : null;
        if (line != null) {
            out.put(line);
            return;
        }
        out.put(VERSION);
        writeDecimal(out, status);
        out.put((byte) ' ');
        out.put(CRLF);
    }

    /**
     * Writes {@code name: value CRLF}.
     *
     * @param out destination
     * @param name a token (RFC 9110 §5.1)
     * @param value ISO-8859-1 text without controls other than HTAB (RFC 9110 §5.5)
     * @throws IllegalArgumentException if the name is not a token or the value holds a control
     *     character, DEL or a char above U+00FF
     */
    public static void writeHeader(ByteBuffer out, String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        putChecked(out, name, true);
        out.put(COLON_SPACE);
        putChecked(out, value, false);
        out.put(CRLF);
    }

    /**
     * Writes {@code Content-Length: <length> CRLF}.
     *
     * @param out destination
     * @param length the body length, at least 0
     */
    public static void writeContentLength(ByteBuffer out, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: " + length);
        }
        out.put(CONTENT_LENGTH);
        writeDecimal(out, length);
        out.put(CRLF);
    }

    /**
     * Writes the empty line that ends a head.
     *
     * @param out destination
     */
    public static void writeEndOfHead(ByteBuffer out) {
        out.put(CRLF);
    }

    /**
     * Writes a chunk's size line, {@code <hex size> CRLF} (RFC 9112 §7.1), without extensions.
     *
     * @param out destination
     * @param size the number of data bytes that follow, at least 1 (size 0 ends the body; use
     *     {@link #writeLastChunk})
     */
    public static void writeChunkHeader(ByteBuffer out, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("chunk size must be > 0: " + size);
        }
        for (int shift = (63 - Long.numberOfLeadingZeros(size)) & ~3; shift >= 0; shift -= 4) {
            int digit = (int) (size >>> shift) & 0xF;
            out.put((byte) (digit < 10 ? '0' + digit : 'a' + digit - 10));
        }
        out.put(CRLF);
    }

    /**
     * Writes the CRLF that follows a chunk's data.
     *
     * @param out destination
     */
    public static void writeChunkEnd(ByteBuffer out) {
        out.put(CRLF);
    }

    /**
     * Starts the end of a chunked body: {@code 0 CRLF}; then write the trailer fields with
     * {@link #writeHeader}, and the final CRLF with {@link #writeEndOfHead}.
     *
     * @param out destination
     */
    public static void writeLastChunk(ByteBuffer out) {
        out.put(LAST_CHUNK);
    }

    /**
     * {@return the bytes {@link #writeHeader} writes for this field}
     *
     * @param name field name
     * @param value field value
     */
    public static int headerLength(String name, String value) {
        return name.length() + value.length() + 4;
    }

    /**
     * {@return the registered reason phrase of {@code status} (RFC 9110 §15), or an empty string}
     *
     * @param status a status code
     */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 103 -> "Early Hints";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            default -> status >= 400 ? errorReasonPhrase(status) : "";
        };
    }

    private static String errorReasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 425 -> "Too Early";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 451 -> "Unavailable For Legal Reasons";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            case 511 -> "Network Authentication Required";
            default -> "";
        };
    }

    private static void putChecked(ByteBuffer out, String s, boolean token) {
        int n = s.length();
        int position = out.position();
        if (out.remaining() < n) {
            throw new BufferOverflowException();
        }
        if (out.hasArray()) {
            byte[] array = out.array();
            int offset = out.arrayOffset() + position;
            for (int i = 0; i < n; i++) {
                array[offset + i] = checked(s.charAt(i), token);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out.put(position + i, checked(s.charAt(i), token));
            }
        }
        out.position(position + n);
    }

    private static byte checked(char c, boolean token) {
        boolean ok = token ? HttpChars.isTchar(c)
                : c == '\t' || (c >= ' ' && c != 0x7F && c <= 0xFF);
        if (!ok) {
            // Never echo the value: it may carry whatever a client sent.
            throw new IllegalArgumentException(token ? "invalid header name" : "invalid header value");
        }
        return (byte) c;
    }

    private static void writeDecimal(ByteBuffer out, long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int position = out.position();
        if (out.remaining() < digits) {
            throw new BufferOverflowException();
        }
        for (int i = digits - 1; i >= 0; i--) {
            out.put(position + i, (byte) ('0' + value % 10));
            value /= 10;
        }
        out.position(position + digits);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
