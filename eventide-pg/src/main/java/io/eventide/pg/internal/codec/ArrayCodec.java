package io.eventide.pg.internal.codec;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Arrays, in both formats. Values are Java arrays of the element's class ({@code Integer[]},
 * {@code String[][]} for two dimensions), as pgjdbc's {@code Array.getArray()} returns them.
 *
 * <pre>
 * binary: int32 ndim, int32 has-nulls, int32 element oid, ndim x (int32 size, int32 lower bound),
 *         then each element as int32 length (-1 = NULL) and its bytes
 * text:   {1,2,NULL}  {{"a b","c\"d"},{e,f}}  [0:1]={1,2} (bounds are dropped)
 * </pre>
 */
final class ArrayCodec {
    /** PostgreSQL's MAXDIM: no array it sends has more dimensions. */
    static final int MAX_DIMS = 6;

    private ArrayCodec() {
    }

    static Class<?> javaClass(int elemOid) {
        return switch (elemOid) {
            case Oids.BOOL -> Boolean.class;
            case Oids.BYTEA -> byte[].class;
            case Oids.INT2 -> Short.class;
            case Oids.INT4 -> Integer.class;
            case Oids.INT8 -> Long.class;
            case Oids.FLOAT4 -> Float.class;
            case Oids.FLOAT8 -> Double.class;
            case Oids.NUMERIC -> Number.class;
            case Oids.UUID -> UUID.class;
            case Oids.DATE -> LocalDate.class;
            case Oids.TIMESTAMP -> LocalDateTime.class;
            case Oids.TIMESTAMPTZ -> OffsetDateTime.class;
            default -> String.class;
        };
    }

    /**
     * @throws IllegalArgumentException for a shape PostgreSQL never sends: more than
     *     {@value #MAX_DIMS} dimensions, an empty dimension, or more elements than the value has
     *     bytes for (each needs at least its 4-byte length); checked before anything is allocated,
     *     so a 20-byte value cannot ask for gigabytes (found by BackendFuzzer)
     */
    static Object decodeBinary(int elemOid, ByteBuffer b) {
        int ndim = b.getInt();
        b.getInt(); // has-nulls flag: the -1 lengths say it per element
        b.getInt(); // element oid: known from the column's type
        if (ndim == 0) {
            return Array.newInstance(javaClass(elemOid), 0);
        }
        if (ndim < 0 || ndim > MAX_DIMS) {
            throw new IllegalArgumentException("array with " + ndim + " dimensions (at most " + MAX_DIMS + ")");
        }
        int[] dims = new int[ndim];
        long elements = 1;
        for (int i = 0; i < ndim; i++) {
            dims[i] = b.getInt();
            b.getInt(); // lower bound
            elements *= dims[i];
            if (dims[i] < 1 || elements > (b.remaining() - 8L * (ndim - 1 - i)) / 4) {
                throw new IllegalArgumentException("array dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " do not fit in the value's " + b.remaining() + " bytes");
            }
        }
        return fillBinary(elemOid, b, dims, 0);
    }

    private static Object fillBinary(int elemOid, ByteBuffer b, int[] dims, int d) {
        Class<?> leaf = javaClass(elemOid);
        Object out = Array.newInstance(componentFor(leaf, dims.length - d - 1), dims[d]);
        for (int i = 0; i < dims[d]; i++) {
            if (d < dims.length - 1) {
                Array.set(out, i, fillBinary(elemOid, b, dims, d + 1));
                continue;
            }
            int len = b.getInt();
            Array.set(out, i, len < 0 ? null : BinaryDecoder.decode(elemOid, b, len));
        }
        return out;
    }

    private static Class<?> componentFor(Class<?> leaf, int extraDims) {
        Class<?> c = leaf;
        for (int i = 0; i < extraDims; i++) {
            c = c.arrayType();
        }
        return c;
    }

    /** Encodes a one-dimensional array in binary; null elements allowed. */
    static void encodeBinary(int elemOid, Object[] values, Wire w) {
        int lenAt = w.mark();
        w.int32(0);
        boolean nulls = false;
        for (Object v : values) {
            nulls |= v == null;
        }
        w.int32(1).int32(nulls ? 1 : 0).int32(elemOid).int32(values.length).int32(1);
        for (Object v : values) {
            if (v == null) {
                w.int32(-1);
            } else {
                ParamEncoder.writeBinary(elemOid, v, w);
            }
        }
        w.patchInt(lenAt, w.mark() - lenAt - 4);
    }

    static Object parseText(int elemOid, String s) {
        int start = 0;
        if (s.charAt(0) == '[') { // explicit bounds: [1:2]={...}
            start = s.indexOf('=') + 1;
        }
        int[] pos = {start};
        Object nested = parseLevel(elemOid, s, pos, 1);
        return nested;
    }

    /**
     * Parses one {...} level at pos[0]; returns a Java array.
     *
     * @throws IllegalArgumentException past {@value #MAX_DIMS} levels (a deeper nesting could only
     *     come from a broken server, and must not recurse the loop's stack away)
     */
    private static Object parseLevel(int elemOid, String s, int[] pos, int depth) {
        if (depth > MAX_DIMS) {
            throw new IllegalArgumentException("array nested deeper than " + MAX_DIMS + " levels");
        }
        pos[0]++; // '{'
        List<Object> items = new ArrayList<>();
        boolean sub = false;
        while (s.charAt(pos[0]) != '}') {
            char c = s.charAt(pos[0]);
            if (c == '{') {
                sub = true;
                items.add(parseLevel(elemOid, s, pos, depth + 1));
            } else if (c == '"') {
                items.add(TextDecoder.parse(elemOid, quoted(s, pos)));
            } else {
                int end = pos[0];
                while (s.charAt(end) != ',' && s.charAt(end) != '}') {
                    end++;
                }
                String raw = s.substring(pos[0], end);
                pos[0] = end;
                items.add(raw.equals("NULL") ? null : TextDecoder.parse(elemOid, raw));
            }
            if (s.charAt(pos[0]) == ',') {
                pos[0]++;
            }
        }
        pos[0]++; // '}'
        Class<?> component = javaClass(elemOid);
        if (sub) {
            component = items.get(0).getClass();
        }
        Object out = Array.newInstance(component, items.size());
        for (int i = 0; i < items.size(); i++) {
            Array.set(out, i, items.get(i));
        }
        return out;
    }

    private static String quoted(String s, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0] + 1;
        for (char c = s.charAt(i); c != '"'; c = s.charAt(i)) {
            if (c == '\\') {
                i++;
                c = s.charAt(i);
            }
            sb.append(c);
            i++;
        }
        pos[0] = i + 1;
        return sb.toString();
    }

}
