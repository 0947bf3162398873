package io.eventide.http.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte classes of the HTTP grammar, looked up in one table so every hot loop does a single array
 * load and mask per byte instead of a chain of comparisons.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class HttpChars {
    /** RFC 9110 §5.6.2 {@code tchar}: method and field-name bytes. */
    static final int TCHAR = 1;
    /**
     * Request-target bytes (RFC 9112 §3.2, RFC 3986): VCHAR except {@code #}. A fragment is never
     * sent on the wire, so one in a request line is an ambiguity an intermediary might resolve
     * differently; non-ASCII and controls are refused like Tomcat does.
     */
    static final int TARGET = 2;
    /** RFC 9110 §5.5 {@code field-vchar}: VCHAR or obs-text. */
    static final int FIELD_VCHAR = 4;
    /** RFC 5234 {@code HEXDIG}, either case. */
    static final int HEX = 8;

    private static final byte[] CLASS = new byte[256];
    /** Reads eight bytes of a {@code byte[]} at any index as one long. */
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    static {
        for (int c = 0x21; c < 0x7F; c++) {
            CLASS[c] |= FIELD_VCHAR;
            if (c != '#') {
                CLASS[c] |= TARGET;
            }
            if (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0) {
                CLASS[c] |= TCHAR;
            }
            if (Character.digit(c, 16) >= 0) {
                CLASS[c] |= HEX;
            }
        }
        for (int c = 0x80; c < 0x100; c++) {
            CLASS[c] |= FIELD_VCHAR;
        }
    }

    private HttpChars() {
    }

    static boolean isTchar(byte b) {
        return (CLASS[b & 0xFF] & TCHAR) != 0;
    }

    static boolean isTarget(byte b) {
        return (CLASS[b & 0xFF] & TARGET) != 0;
    }

    static boolean isFieldVchar(byte b) {
        return (CLASS[b & 0xFF] & FIELD_VCHAR) != 0;
    }

    /**
     * Skips field-value content: SP, VCHAR and obs-text (RFC 9110 §5.5), eight bytes per step
     * while no byte in the word is a control or DEL. Header values are most of a head's bytes, so
     * this is where the scanner spends its time.
     *
     * @return the index of the first byte in {@code [i, end)} that is a control (HTAB, CR, LF
     *     included) or DEL, or {@code end}
     */
    static int skipFieldContent(byte[] b, int i, int end) {
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i);
            // "hasless(x, 0x20)" and "haszero(x ^ 0x7F)" from Bit Twiddling Hacks: exact on
            // whether some byte qualifies; bytes >= 0x80 (obs-text) never do.
            long controls = (x - 0x20 * ONES) & ~x & HIGH_BITS;
            long y = x ^ (0x7F * ONES);
            long deletes = (y - ONES) & ~y & HIGH_BITS;
            if ((controls | deletes) != 0) {
                break;
            }
        }
        while (i < end && (b[i] == ' ' || isFieldVchar(b[i]))) {
            i++;
        }
        return i;
    }

    /** {@return whether {@code b[v, v+10)} is {@code HTTP/1.1} or {@code HTTP/1.0} then CRLF} */
    static boolean isHttp1LineEnd(byte[] b, int v) {
        return b[v] == 'H' && b[v + 1] == 'T' && b[v + 2] == 'T' && b[v + 3] == 'P' && b[v + 4] == '/'
                && b[v + 5] == '1' && b[v + 6] == '.' && (b[v + 7] == '1' || b[v + 7] == '0')
                && b[v + 8] == '\r' && b[v + 9] == '\n';
    }

    /** {@return {@code end} moved back over trailing SP and HTAB, but not before {@code start}} */
    static int trimOws(byte[] b, int start, int end) {
        while (end > start && isOws(b[end - 1])) {
            end--;
        }
        return end;
    }

    static boolean isTchar(char c) {
        return c < 0x80 && (CLASS[c] & TCHAR) != 0;
    }

    static boolean isOws(byte b) {
        return b == ' ' || b == '\t';
    }

    static boolean isHexDigit(byte b) {
        return isDigit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** {@return the value of a hex digit, or -1 if {@code b} is not one} */
    static int hexValue(byte b) {
        if ((CLASS[b & 0xFF] & HEX) == 0) {
            return -1;
        }
        return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }

    /**
     * Compares bytes with a lower-case ASCII constant, ignoring case. {@code b | 0x20} folds
     * upper-case letters and leaves digits and {@code -} unchanged. Callers only pass bytes the
     * scanner has validated (tokens or field values, so no CR or other control byte but HTAB), and
     * among those no other byte folds onto a letter, digit or {@code -}.
     */
    static boolean equalsLower(byte[] b, int off, int len, byte[] lower) {
        if (len != lower.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if ((b[off + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
