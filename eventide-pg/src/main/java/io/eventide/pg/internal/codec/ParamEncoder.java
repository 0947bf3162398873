package io.eventide.pg.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * Parameters, from Java values: the type OID declared in Parse, the format in Bind and the bytes.
 * Typed values go in binary with their type declared; a {@link String} (and an enum, as its name)
 * goes as text with the type left to the server ({@code unspecified}), so {@code '2024-01-01'} binds
 * to a date column and {@code '{"a":1}'} to a jsonb one; {@link BigDecimal} goes as numeric text.
 *
 * <table>
 *   <caption>Java type to parameter</caption>
 *   <tr><th>Java</th><th>type</th><th>format</th></tr>
 *   <tr><td>Short, Integer, Long</td><td>int2, int4, int8</td><td>binary</td></tr>
 *   <tr><td>Float, Double</td><td>float4, float8</td><td>binary</td></tr>
 *   <tr><td>Boolean, UUID, byte[]/ByteBuffer</td><td>bool, uuid, bytea</td><td>binary</td></tr>
 *   <tr><td>LocalDate, LocalTime, LocalDateTime</td><td>date, time, timestamp</td><td>binary</td></tr>
 *   <tr><td>OffsetDateTime, ZonedDateTime, Instant</td><td>timestamptz</td><td>binary</td></tr>
 *   <tr><td>BigDecimal, BigInteger</td><td>numeric</td><td>text</td></tr>
 *   <tr><td>String, enum, null</td><td>unspecified</td><td>text</td></tr>
 *   <tr><td>arrays of the binary types and String (also int[], long[], double[])</td><td>their array type</td><td>binary</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class ParamEncoder {
    private ParamEncoder() {
    }

    /** The protocol counts parameters in 16 bits. */
    public static final int MAX_PARAMS = 65_535;

    /**
     * Checks parameters before they reach a loop: a programming error is thrown to the caller.
     *
     * @param params one statement's parameters
     * @return {@code params}
     * @throws IllegalArgumentException for more than {@value #MAX_PARAMS} or an unmappable type
     */
    public static Object[] check(Object[] params) {
        if (params.length > MAX_PARAMS) {
            throw new IllegalArgumentException(params.length + " parameters; the protocol allows " + MAX_PARAMS);
        }
        for (Object v : params) {
            oid(v);
        }
        return params;
    }

    /**
     * @param v a parameter value
     * @return the type OID to declare for it in Parse (0 lets the server infer it)
     * @throws IllegalArgumentException for a Java type with no mapping
     */
    public static int oid(Object v) {
        if (v == null || v instanceof String || v instanceof Enum<?>) {
            return Oids.UNSPECIFIED;
        }
        int scalar = scalarOid(v.getClass());
        if (scalar != 0) {
            return scalar;
        }
        Class<?> c = v.getClass();
        if (c == int[].class) {
            return Oids.INT4_ARRAY;
        }
        if (c == long[].class) {
            return Oids.INT8_ARRAY;
        }
        if (c == double[].class) {
            return Oids.FLOAT8_ARRAY;
        }
        if (c.isArray() && !c.getComponentType().isPrimitive()) {
            Class<?> comp = c.getComponentType();
            int elem = comp == String.class ? Oids.TEXT : scalarOid(comp);
            int arr = Oids.arrayOf(elem);
            if (arr != 0 && elem != Oids.NUMERIC) {
                return arr;
            }
        }
        throw new IllegalArgumentException("no PostgreSQL mapping for a parameter of type " + c.getName()
                + " (pass a String to let the server convert it)");
    }

    private static int scalarOid(Class<?> c) {
        if (c == Integer.class) {
            return Oids.INT4;
        } else if (c == Long.class) {
            return Oids.INT8;
        } else if (c == Short.class || c == Byte.class) {
            return Oids.INT2;
        } else if (c == Double.class) {
            return Oids.FLOAT8;
        } else if (c == Float.class) {
            return Oids.FLOAT4;
        } else if (c == Boolean.class) {
            return Oids.BOOL;
        } else if (c == UUID.class) {
            return Oids.UUID;
        } else if (c == byte[].class || ByteBuffer.class.isAssignableFrom(c)) {
            return Oids.BYTEA;
        } else if (c == LocalDate.class) {
            return Oids.DATE;
        } else if (c == LocalTime.class) {
            return Oids.TIME;
        } else if (c == LocalDateTime.class) {
            return Oids.TIMESTAMP;
        } else if (c == OffsetDateTime.class || c == ZonedDateTime.class || c == Instant.class) {
            return Oids.TIMESTAMPTZ;
        } else if (c == BigDecimal.class || c == BigInteger.class) {
            return Oids.NUMERIC;
        }
        return 0;
    }

    /** @param v a parameter value @return whether it is sent in binary (format 1) */
    public static boolean binary(Object v) {
        return !(v == null || v instanceof String || v instanceof Enum<?> || v instanceof BigDecimal
                || v instanceof BigInteger);
    }

    /**
     * Writes the value as Bind wants it: int32 length (-1 for NULL), then the bytes.
     *
     * @param v the value
     * @param w where to write
     */
    public static void write(Object v, Wire w) {
        if (v == null) {
            w.int32(-1);
        } else if (v instanceof String s) {
            writeText(s, w);
        } else if (v instanceof Enum<?> e) {
            writeText(e.name(), w);
        } else if (v instanceof BigDecimal d) {
            writeText(d.toPlainString(), w);
        } else if (v instanceof BigInteger i) {
            writeText(i.toString(), w);
        } else {
            writeBinary(oid(v), v, w);
        }
    }

    private static void writeText(String s, Wire w) {
        int at = w.mark();
        w.int32(0).utf8(s);
        w.patchInt(at, w.mark() - at - 4);
    }

    static void writeBinary(int oid, Object v, Wire w) {
        switch (oid) {
            case Oids.INT2 -> w.int32(2).int16(((Number) v).shortValue());
            case Oids.INT4 -> w.int32(4).int32((Integer) v);
            case Oids.INT8 -> w.int32(8).int64((Long) v);
            case Oids.FLOAT4 -> w.int32(4).int32(Float.floatToRawIntBits((Float) v));
            case Oids.FLOAT8 -> w.int32(8).int64(Double.doubleToRawLongBits((Double) v));
            case Oids.BOOL -> w.int32(1).int8((Boolean) v ? 1 : 0);
            case Oids.UUID -> w.int32(16).int64(((UUID) v).getMostSignificantBits())
                    .int64(((UUID) v).getLeastSignificantBits());
            case Oids.BYTEA -> bytea(v, w);
            case Oids.TEXT -> writeText((String) v, w);
            case Oids.DATE -> w.int32(4).int32(Temporal.days((LocalDate) v));
            case Oids.TIME -> w.int32(8).int64(Temporal.micros((LocalTime) v));
            case Oids.TIMESTAMP -> w.int32(8).int64(Temporal.micros((LocalDateTime) v));
            case Oids.TIMESTAMPTZ -> w.int32(8).int64(Temporal.micros(offsetDateTime(v)));
            default -> array(oid, v, w);
        }
    }

    private static void bytea(Object v, Wire w) {
        if (v instanceof byte[] b) {
            w.int32(b.length).bytes(b);
        } else {
            ByteBuffer b = ((ByteBuffer) v).duplicate();
            w.int32(b.remaining()).bytes(b);
        }
    }

    private static OffsetDateTime offsetDateTime(Object v) {
        if (v instanceof OffsetDateTime o) {
            return o;
        }
        if (v instanceof ZonedDateTime z) {
            return z.toOffsetDateTime();
        }
        return ((Instant) v).atOffset(ZoneOffset.UTC);
    }

    private static void array(int oid, Object v, Wire w) {
        Object[] values;
        if (v instanceof int[] a) {
            values = java.util.Arrays.stream(a).boxed().toArray();
        } else if (v instanceof long[] a) {
            values = java.util.Arrays.stream(a).boxed().toArray();
        } else if (v instanceof double[] a) {
            values = java.util.Arrays.stream(a).boxed().toArray();
        } else {
            values = (Object[]) v;
        }
        ArrayCodec.encodeBinary(Oids.elementOf(oid), values, w);
    }
}
