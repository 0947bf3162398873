package io.eventide.http.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The field lines of a head (or of a trailer section), copied out of the connection's buffer in
 * one piece, their strings made on demand. A handler that never reads a header (a plaintext
 * benchmark, a static file) pays for one array copy instead of two strings per field, and a lookup
 * by name ({@link #get}) makes only the string it returns; framing fields were already read from
 * the bytes by the parser. The API's {@code HttpHeaders} is made from this by the engines, when
 * asked for: the codec knows nothing of the API.
 *
 * <p>Names the codec knows come out as interned constants (see {@code KnownNames}), other names
 * in the case they were received; values are decoded as ISO-8859-1, so every received byte maps to
 * exactly one {@code char} (RFC 9110 §5.5 treats non-ASCII octets as opaque).
 *
 * <p><b>Threading:</b> immutable once made; the strings it returns are new or interned.
 */
public final class Fields {
    /** No fields. */
    public static final Fields EMPTY = new Fields(new byte[0], new int[0], 0);

    private final byte[] bytes;
    /** Four offsets into {@link #bytes} per field, as in {@link HeadLayout}. */
    private final int[] offsets;
    private final int count;

    private Fields(byte[] bytes, int[] offsets, int count) {
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
     * @return fields that no longer refer to {@code b}
     */
    static Fields copyOf(byte[] b, int base, HeadLayout layout) {
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
        return new Fields(Arrays.copyOfRange(b, base + from, base + to), offsets, count);
    }

    /** {@return the number of field lines, each repetition of a name counted} */
    public int size() {
        return count;
    }

    /**
     * {@return the name of field {@code i}, in the order received}
     *
     * @param i from 0 to {@code size() - 1}
     */
    public String name(int i) {
        int k = index(i);
        return KnownNames.header(bytes, offsets[k], offsets[k + 1] - offsets[k]);
    }

    /**
     * {@return the value of field {@code i}}
     *
     * @param i from 0 to {@code size() - 1}
     */
    public String value(int i) {
        int k = index(i);
        int start = offsets[k + 2];
        int end = offsets[k + 3];
        return start == end ? "" : new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * {@return the first value of the named field, or null}
     *
     * @param name field name, any case (ASCII)
     */
    public String get(String name) {
        for (int i = 0; i < count; i++) {
            if (nameIs(i, name)) {
                return value(i);
            }
        }
        return null;
    }

    /**
     * {@return every value of the named field, in order; empty if absent}
     *
     * @param name field name, any case (ASCII)
     */
    public List<String> getAll(String name) {
        List<String> all = new ArrayList<>(1);
        for (int i = 0; i < count; i++) {
            if (nameIs(i, name)) {
                all.add(value(i));
            }
        }
        return all;
    }

    private boolean nameIs(int i, String name) {
        int k = i * 4;
        int start = offsets[k];
        int length = offsets[k + 1] - start;
        if (length != name.length()) {
            return false;
        }
        for (int j = 0; j < length; j++) {
            if (lower(bytes[start + j] & 0xff) != lower(name.charAt(j))) {
                return false;
            }
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    private int index(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("field " + i + " of " + count);
        }
        return i * 4;
    }

    /** Lists the names only: values often carry credentials, and this text ends up in logs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Fields[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(name(i));
        }
        return sb.append(']').toString();
    }
}
