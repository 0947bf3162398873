package io.eventide.http.internal.files;

/**
 * Parses a {@code Range} header against a representation of known length (RFC 9110 §14.1-14.2).
 *
 * <pre>
 *  bytes=0-499       first 500 bytes              -&gt; Range(0, 499)
 *  bytes=500-        from byte 500 to the end     -&gt; Range(500, size - 1)
 *  bytes=-500        last 500 bytes               -&gt; Range(size - 500, size - 1)
 *  bytes=9000-       (size 1000)                  -&gt; UNSATISFIABLE (416)
 *  bytes=0-1,5-9     several ranges               -&gt; FULL (answered 200 with everything)
 *  items=0-1, bytes=x, bytes=5-2                  -&gt; FULL (RFC 9110 §14.2: ignore what is invalid)
 * </pre>
 *
 * <p>Several ranges are answered with the whole representation rather than a
 * {@code multipart/byteranges} body: RFC 9110 §14.2 lets a server ignore {@code Range}, every
 * client must handle a 200, and it closes the many-small-ranges amplification of CVE-2011-3192.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class ByteRanges {
    /** No usable range: send the whole representation with 200. */
    public static final Range FULL = new Range(-1, -1);
    /** A syntactically valid range that selects nothing of this representation: 416. */
    public static final Range UNSATISFIABLE = new Range(-2, -2);

    /**
     * One byte range, both ends inclusive, as in {@code Content-Range}.
     *
     * <p><b>Threading:</b> immutable; any thread.
     *
     * @param first first byte position
     * @param last last byte position
     */
    public record Range(long first, long last) {
        /** {@return the number of bytes selected} */
        public long length() {
            return last - first + 1;
        }

        /** {@return whether this is an actual range, not {@link #FULL} or {@link #UNSATISFIABLE}} */
        public boolean isPartial() {
            return first >= 0;
        }
    }

    private ByteRanges() {
    }

    /**
     * @param header the {@code Range} field value, or null
     * @param size the representation's length in bytes
     * @return the single range to send, {@link #FULL} or {@link #UNSATISFIABLE}
     */
    public static Range parse(String header, long size) {
        if (header == null) {
            return FULL;
        }
        int eq = header.indexOf('=');
        // RFC 9110 §14.1: range-unit is case-insensitive; "bytes" is the only one we know.
        if (eq < 0 || !header.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return FULL;
        }
        String set = header.substring(eq + 1);
        if (set.indexOf(',') >= 0) {
            return FULL; // several ranges: see the class comment
        }
        return single(set.trim(), size);
    }

    private static Range single(String spec, long size) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return FULL;
        }
        String a = spec.substring(0, dash);
        String b = spec.substring(dash + 1);
        if (a.isEmpty()) {
            // suffix-range: the last N bytes; "-0" selects nothing (RFC 9110 §14.1.3).
            long n = digits(b);
            if (n < 0) {
                return FULL;
            }
            return n == 0 || size == 0 ? UNSATISFIABLE : new Range(Math.max(0, size - n), size - 1);
        }
        long first = digits(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
        if (first < 0 || last < 0 || last < first) {
            return FULL; // RFC 9110 §14.1.1: last < first makes the range-spec invalid, so ignore it
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new Range(first, Math.min(last, size - 1));
    }

    /** {@return the decimal value of {@code s}, {@link Long#MAX_VALUE} if it overflows, -1 if not 1*DIGIT} */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v > (Long.MAX_VALUE - 9) / 10) {
                v = Long.MAX_VALUE; // past any file size; keep checking the remaining characters
            } else {
                v = v * 10 + (c - '0');
            }
        }
        return v;
    }
}
