package io.eventide.http.internal.codec;

import io.eventide.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The field lines of a head, copied out of the connection's buffer in one piece so that their
 * strings can be made later, on first use. A handler that never reads a header (a plaintext
 * benchmark, a static file) then pays for one array copy instead of two strings per field; framing
 * fields were already read from the bytes by {@link RequestHeadBuilder}.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
final class FieldBlock {
    private static final FieldBlock EMPTY = new FieldBlock(new byte[0], new int[0], 0);

    private final byte[] bytes;
    /** Four offsets into {@link #bytes} per field, as in {@link HeadLayout}. */
    private final int[] offsets;
    private final int count;

    private FieldBlock(byte[] bytes, int[] offsets, int count) {
        this.bytes = bytes;
        this.offsets = offsets;
        this.count = count;
    }

    /**
     * Copies the fields {@code layout} locates in {@code b}.
     *
     * @param b the array holding the head
     * @param base index of the head's first byte in {@code b}
     * @param layout the scanned layout
     * @return a block that no longer refers to {@code b}
     */
    static FieldBlock copyOf(byte[] b, int base, HeadLayout layout) {
        int count = layout.fieldCount();
        if (count == 0) {
            return EMPTY;
        }
        int from = layout.nameStart(0);
        int to = layout.valueEnd(count - 1);
        int[] offsets = new int[count * 4];
        for (int i = 0; i < count; i++) {
            offsets[i * 4] = layout.nameStart(i) - from;
            offsets[i * 4 + 1] = layout.nameEnd(i) - from;
            offsets[i * 4 + 2] = layout.valueStart(i) - from;
            offsets[i * 4 + 3] = layout.valueEnd(i) - from;
        }
        return new FieldBlock(Arrays.copyOfRange(b, base + from, base + to), offsets, count);
    }

    /**
     * Decodes the fields in place, without copying them first.
     *
     * @param b the array holding the head
     * @param base index of the head's first byte in {@code b}
     * @param layout the scanned layout
     * @return a new map of the fields
     */
    static HttpHeaders decode(byte[] b, int base, HeadLayout layout) {
        int count = layout.fieldCount();
        HttpHeaders headers = new HttpHeaders(count);
        for (int i = 0; i < count; i++) {
            add(headers, b, base + layout.nameStart(i), base + layout.nameEnd(i),
                    base + layout.valueStart(i), base + layout.valueEnd(i));
        }
        return headers;
    }

    /** {@return a new map of the fields; names the codec knows are interned constants} */
    HttpHeaders toHeaders() {
        HttpHeaders headers = new HttpHeaders(count);
        for (int i = 0; i < count; i++) {
            int k = i * 4;
            add(headers, bytes, offsets[k], offsets[k + 1], offsets[k + 2], offsets[k + 3]);
        }
        return headers;
    }

    private static void add(HttpHeaders headers, byte[] b, int nameStart, int nameEnd,
                            int valueStart, int valueEnd) {
        String value = valueStart == valueEnd
                ? "" : new String(b, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
        headers.add(KnownNames.header(b, nameStart, nameEnd - nameStart), value);
    }
}
