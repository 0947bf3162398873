package io.eventide.http.internal.codec;

import java.util.Arrays;

/**
 * Where the parts of a scanned head lie: offsets from the head's first byte, written by
 * {@link Http1HeadScanner} as it goes and read by whoever turns the bytes into strings. Keeping
 * offsets instead of strings is what lets the scanner allocate nothing.
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
    /** Four offsets per field: name start, name end, value start, value end (OWS trimmed). */
    private int[] fields = new int[64];
    private int fieldCount;

    void clear() {
        queryIndex = -1;
        fieldCount = 0;
        headLength = 0;
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
            fields = Arrays.copyOf(fields, fields.length * 2);
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
