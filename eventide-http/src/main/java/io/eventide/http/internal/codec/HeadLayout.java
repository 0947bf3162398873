package io.eventide.http.internal.codec;

import java.util.Arrays;

/**
 * Where the parts of a scanned head lie: offsets from the head's first byte, written by
 * {@link Http1HeadScanner} as it goes and read by whoever turns the bytes into strings. Keeping
 * offsets instead of strings is what lets the scanner allocate nothing. The offsets of a head
 * that completes within one read live in a per-thread scratch array (see {@link Http1HeadReader}).
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
final class HeadLayout {
    private int methodEnd;
    private int targetStart;
    private int targetEnd;
    private int queryIndex = -1;
    private int versionMinor;
    private int headLength;
    private static final int[] NONE = new int[0];
    private static final int MIN_FIELDS_LENGTH = 64;

    /**
     * Four offsets per field: name start, name end, value start, value end (OWS trimmed). While a
     * head is scanned within one read this is the thread's scratch array ({@link #borrow}); a
     * head still incomplete when a read ends continues in this layout's own array ({@link #park}),
     * allocated the first time that happens and kept for the next heads.
     */
    private int[] fields = NONE;
    private int[] own;
    private boolean borrowed;
    private int fieldCount;

    void clear() {
        queryIndex = -1;
        fieldCount = 0;
        headLength = 0;
        fields = own != null ? own : NONE;
        borrowed = false;
    }

    /** Uses {@code scratch} for the fields of a head not yet begun; valid until the thread's next use. */
    void borrow(int[] scratch) {
        if (fieldCount == 0) {
            fields = scratch;
            borrowed = true;
        }
    }

    /** {@return the borrowed array, perhaps grown, for the thread to keep; or {@code null}} */
    int[] borrowedArray() {
        return borrowed ? fields : null;
    }

    /** Moves the fields so far into this layout's own array: the head continues in a later read. */
    void park() {
        if (!borrowed) {
            return;
        }
        int n = fieldCount * 4;
        if (n > 0 && (own == null || own.length < n)) {
            own = new int[Math.max(MIN_FIELDS_LENGTH, n)];
        }
        if (n > 0) {
            System.arraycopy(fields, 0, own, 0, n);
        }
        fields = own != null ? own : NONE;
        borrowed = false;
    }

    /** {@return the ints this layout holds of its own, between heads too} */
    int retainedInts() {
        return own == null ? 0 : own.length;
    }

    void requestLine(int methodEnd, int targetStart, int targetEnd, int queryIndex, int versionMinor) {
        this.methodEnd = methodEnd;
        this.targetStart = targetStart;
        this.targetEnd = targetEnd;
        this.queryIndex = queryIndex;
        this.versionMinor = versionMinor;
    }

    void addField(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        int k = fieldCount * 4;
        if (k + 4 > fields.length) {
            fields = Arrays.copyOf(fields, Math.max(MIN_FIELDS_LENGTH, fields.length * 2));
            if (!borrowed) {
                own = fields;
            }
        }
        fields[k] = nameStart;
        fields[k + 1] = nameEnd;
        fields[k + 2] = valueStart;
        fields[k + 3] = valueEnd;
        fieldCount++;
    }

    void headLength(int length) {
        headLength = length;
    }

    int fieldCount() {
        return fieldCount;
    }

    int nameStart(int field) {
        return fields[field * 4];
    }

    int nameEnd(int field) {
        return fields[field * 4 + 1];
    }

    int valueStart(int field) {
        return fields[field * 4 + 2];
    }

    int valueEnd(int field) {
        return fields[field * 4 + 3];
    }

    int methodEnd() {
        return methodEnd;
    }

    int targetStart() {
        return targetStart;
    }

    int targetEnd() {
        return targetEnd;
    }

    /** {@return the offset of the first {@code ?} in the target, or -1} */
    int queryIndex() {
        return queryIndex;
    }

    int versionMinor() {
        return versionMinor;
    }

    /** {@return the head's length in bytes, final CRLF included; valid once scanned} */
    int headLength() {
        return headLength;
    }
}
