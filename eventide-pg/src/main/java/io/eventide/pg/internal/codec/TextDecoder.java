package io.eventide.pg.internal.codec;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Values from PostgreSQL's text format (DateStyle ISO, set at startup). The hot types get the same
 * Java values as from {@link BinaryDecoder}, so a statement decodes alike before and after its
 * description is known; every other type comes back as its text.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class TextDecoder {
    private static final DateTimeFormatter DATE = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.YEAR_OF_ERA, 4, 9, java.time.format.SignStyle.NORMAL)
            .appendLiteral('-').appendValue(ChronoField.MONTH_OF_YEAR, 2)
            .appendLiteral('-').appendValue(ChronoField.DAY_OF_MONTH, 2).toFormatter();
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter();

    private TextDecoder() {
    }

    /**
     * @param oid the column's type
     * @param b the buffer, positioned at the value
     * @param len the value's length in bytes
     * @return the value; the buffer's position is moved past it
     */
    public static Object decode(int oid, ByteBuffer b, int len) {
        return parse(oid, BinaryDecoder.string(b, len));
    }

    /**
     * @param oid the type
     * @param s the value's text
     * @return the Java value for it
     */
    public static Object parse(int oid, String s) {
        return switch (oid) {
            case Oids.BOOL -> s.equals("t");
            case Oids.INT2 -> Short.parseShort(s);
            case Oids.INT4 -> Integer.parseInt(s);
            case Oids.INT8 -> Long.parseLong(s);
            case Oids.OID -> Long.parseLong(s);
            case Oids.FLOAT4 -> Float.parseFloat(s);
            case Oids.FLOAT8 -> Double.parseDouble(s);
            case Oids.NUMERIC -> numeric(s);
            case Oids.BYTEA -> bytea(s);
            case Oids.UUID -> UUID.fromString(s);
            case Oids.DATE -> date(s);
            case Oids.TIME -> s.startsWith("24:") ? LocalTime.MAX : LocalTime.parse(s, TIME);
            case Oids.TIMESTAMP -> timestamp(s);
            case Oids.TIMESTAMPTZ -> timestamptz(s);
            default -> {
                int elem = Oids.elementOf(oid);
                yield elem == 0 ? s : ArrayCodec.parseText(elem, s);
            }
        };
    }

    private static Object numeric(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> new BigDecimal(s);
        };
    }

    static byte[] bytea(String s) {
        if (s.startsWith("\\x")) {
            return HexFormat.of().parseHex(s, 2, s.length());
        }
        // The old "escape" output: \\ for a backslash, \ooo (octal) for other non-printables.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
            } else if (s.charAt(i + 1) == '\\') {
                out.write('\\');
                i++;
            } else {
                out.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            }
        }
        return out.toByteArray();
    }

    private static LocalDate date(String s) {
        switch (s) {
            case "infinity":
                return LocalDate.MAX;
            case "-infinity":
                return LocalDate.MIN;
            default:
                boolean bc = s.endsWith(" BC");
                LocalDate d = LocalDate.parse(bc ? s.substring(0, s.length() - 3) : s, DATE);
                return bc ? d.withYear(1 - d.getYear()) : d;
        }
    }

    private static LocalDateTime timestamp(String s) {
        switch (s) {
            case "infinity":
                return LocalDateTime.MAX;
            case "-infinity":
                return LocalDateTime.MIN;
            default:
                boolean bc = s.endsWith(" BC");
                String t = bc ? s.substring(0, s.length() - 3) : s;
                int sp = t.indexOf(' ');
                LocalDateTime v = LocalDate.parse(t.substring(0, sp), DATE)
                        .atTime(LocalTime.parse(t.substring(sp + 1), TIME));
                return bc ? v.withYear(1 - v.getYear()) : v;
        }
    }

    private static OffsetDateTime timestamptz(String s) {
        switch (s) {
            case "infinity":
                return OffsetDateTime.MAX;
            case "-infinity":
                return OffsetDateTime.MIN;
            default:
                boolean bc = s.endsWith(" BC");
                String t = bc ? s.substring(0, s.length() - 3) : s;
                int sign = Math.max(t.lastIndexOf('+'), t.lastIndexOf('-'));
                LocalDateTime local = timestamp(t.substring(0, sign));
                if (bc) {
                    local = local.withYear(1 - local.getYear());
                }
                return local.atOffset(offset(t.substring(sign))).withOffsetSameInstant(ZoneOffset.UTC);
        }
    }

    /** {@code +HH}, {@code +HH:MM} or {@code +HH:MM:SS}. */
    private static ZoneOffset offset(String s) {
        int sign = s.charAt(0) == '-' ? -1 : 1;
        String[] parts = s.substring(1).split(":");
        int h = Integer.parseInt(parts[0]);
        int m = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        int sec = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
        return ZoneOffset.ofHoursMinutesSeconds(sign * h, sign * m, sign * sec);
    }
}
