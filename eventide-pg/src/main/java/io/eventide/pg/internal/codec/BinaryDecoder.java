package io.eventide.pg.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Values from PostgreSQL's binary format, for the types {@link Oids#binaryResult} names. *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class BinaryDecoder {
    private static final short NUMERIC_NEG = 0x4000;
    private static final short NUMERIC_NAN = (short) 0xC000;
    private static final short NUMERIC_PINF = (short) 0xD000;
    private static final short NUMERIC_NINF = (short) 0xF000;

    private BinaryDecoder() {
    }

    /**
     * @param oid the column's type
     * @param b the buffer, positioned at the value
     * @param len the value's length in bytes
     * @return the value; the buffer's position is moved past it
     */
    public static Object decode(int oid, ByteBuffer b, int len) {
        int end = b.position() + len;
        Object v = switch (oid) {
            case Oids.BOOL -> b.get() != 0;
            case Oids.INT2 -> b.getShort();
            case Oids.INT4 -> b.getInt();
            case Oids.INT8 -> b.getLong();
            case Oids.OID -> b.getInt() & 0xFFFF_FFFFL;
            case Oids.FLOAT4 -> b.getFloat();
            case Oids.FLOAT8 -> b.getDouble();
            case Oids.TEXT, Oids.VARCHAR, Oids.BPCHAR, Oids.NAME, Oids.JSON, Oids.CHAR -> string(b, len);
            case Oids.JSONB -> jsonb(b, len);
            case Oids.BYTEA -> bytes(b, len);
            case Oids.UUID -> new UUID(b.getLong(), b.getLong());
            case Oids.DATE -> Temporal.date(b.getInt());
            case Oids.TIME -> Temporal.time(b.getLong());
            case Oids.TIMESTAMP -> Temporal.timestamp(b.getLong());
            case Oids.TIMESTAMPTZ -> Temporal.timestamptz(b.getLong());
            case Oids.NUMERIC -> numeric(b);
            default -> {
                int elem = Oids.elementOf(oid);
                if (elem == 0) {
                    throw new IllegalArgumentException("no binary decoder for type " + oid);
                }
                yield ArrayCodec.decodeBinary(elem, b);
            }
        };
        b.position(end);
        return v;
    }

    static String string(ByteBuffer b, int len) {
        if (b.hasArray()) {
            String s = new String(b.array(), b.arrayOffset() + b.position(), len, StandardCharsets.UTF_8);
            b.position(b.position() + len);
            return s;
        }
        return new String(bytes(b, len), StandardCharsets.UTF_8);
    }

    private static String jsonb(ByteBuffer b, int len) {
        int version = b.get();
        if (version != 1) {
            throw new IllegalArgumentException("unsupported jsonb binary version " + version);
        }
        return string(b, len - 1);
    }

    static byte[] bytes(ByteBuffer b, int len) {
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    /**
     * numeric: int16 ndigits, int16 weight (of the first digit, in base 10000), int16 sign, int16
     * dscale, then ndigits base-10000 digits. NaN and the infinities come back as Double, like pgjdbc.
     */
    static Object numeric(ByteBuffer b) {
        int ndigits = b.getShort();
        int weight = b.getShort();
        short sign = b.getShort();
        int dscale = b.getShort() & 0xFFFF;
        if (sign == NUMERIC_NAN) {
            return Double.NaN;
        }
        if (sign == NUMERIC_PINF) {
            return Double.POSITIVE_INFINITY;
        }
        if (sign == NUMERIC_NINF) {
            return Double.NEGATIVE_INFINITY;
        }
        if (ndigits == 0) {
            return BigDecimal.ZERO.setScale(dscale);
        }
        BigInteger unscaled = BigInteger.ZERO;
        BigInteger tenK = BigInteger.valueOf(10_000);
        long acc = 0;
        int inAcc = 0;
        for (int i = 0; i < ndigits; i++) {
            acc = acc * 10_000 + b.getShort();
            if (++inAcc == 4) { // 10000^4 = 1e16 fits a long
                unscaled = unscaled.multiply(tenK.pow(4)).add(BigInteger.valueOf(acc));
                acc = 0;
                inAcc = 0;
            }
        }
        if (inAcc > 0) {
            unscaled = unscaled.multiply(tenK.pow(inAcc)).add(BigInteger.valueOf(acc));
        }
        // The digits read stand for unscaled * 10000^(weight - ndigits + 1).
        BigDecimal v = new BigDecimal(unscaled, -4 * (weight - ndigits + 1));
        if (sign == NUMERIC_NEG) {
            v = v.negate();
        }
        return v.setScale(dscale, java.math.RoundingMode.UNNECESSARY);
    }
}
