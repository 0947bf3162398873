package io.eventide.pg.internal;

import io.eventide.pg.Column;
import io.eventide.pg.Columns;
import io.eventide.pg.PgException;
import io.eventide.pg.PgNotification;
import io.eventide.pg.Row;
import io.eventide.pg.internal.codec.BinaryDecoder;
import io.eventide.pg.internal.codec.TextDecoder;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsing of backend message bodies. A body that does not hold what its type promises (a string
 * without its NUL, a count past the end, a value its column's type cannot decode) is a
 * {@link PgException} with SQLSTATE {@value PgException#PROTOCOL_VIOLATION}, never a buffer
 * exception: the connection is then destroyed with that error (found by the fuzzer, issue 9).
 */
final class Backend {
    private Backend() {
    }

    static PgException malformed(String what, RuntimeException cause) {
        return new PgException(PgException.PROTOCOL_VIOLATION, "malformed backend message: " + what
                + (cause == null ? "" : " (" + cause + ")"), cause);
    }

    static String cstring(ByteBuffer b) {
        int start = b.position();
        int end = start;
        int limit = b.limit();
        while (end < limit && b.get(end) != 0) {
            end++;
        }
        if (end == limit) {
            throw malformed("string without its terminating NUL", null);
        }
        String s;
        if (b.hasArray()) {
            s = new String(b.array(), b.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
        } else {
            byte[] tmp = new byte[end - start];
            b.get(start, tmp);
            s = new String(tmp, StandardCharsets.UTF_8);
        }
        b.position(end + 1);
        return s;
    }

    /** ErrorResponse and NoticeResponse: (code byte, cstring) pairs ended by a zero byte. */
    static Map<Character, String> fields(ByteBuffer b) {
        Map<Character, String> m = new LinkedHashMap<>();
        byte code;
        while (b.hasRemaining() && (code = b.get()) != 0) {
            m.put((char) code, cstring(b));
        }
        return m;
    }

    static PgException error(ByteBuffer b) {
        return PgException.fromServer(fields(b));
    }

    static Columns rowDescription(ByteBuffer b) {
        try {
            return columns(b);
        } catch (BufferUnderflowException e) {
            throw malformed("RowDescription ends early", e);
        }
    }

    private static Columns columns(ByteBuffer b) {
        int n = b.getShort() & 0xFFFF;
        List<Column> cols = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = cstring(b);
            int table = b.getInt();
            int attr = b.getShort();
            int type = b.getInt();
            b.getShort(); // type length
            int mod = b.getInt();
            b.getShort(); // format: zero in a statement description; we track the formats we asked for
            cols.add(new Column(name, type, table, attr, mod));
        }
        return new Columns(cols);
    }

    static int[] parameterDescription(ByteBuffer b) {
        if (b.remaining() < 2 || b.remaining() < 2 + 4 * (b.getShort(b.position()) & 0xFFFF)) {
            throw malformed("ParameterDescription ends early", null);
        }
        int n = b.getShort() & 0xFFFF;
        int[] oids = new int[n];
        for (int i = 0; i < n; i++) {
            oids[i] = b.getInt();
        }
        return oids;
    }

    /** @param b a NotificationResponse body @return the notification */
    static PgNotification notification(ByteBuffer b) {
        if (b.remaining() < 4) {
            throw malformed("NotificationResponse ends early", null);
        }
        int pid = b.getInt();
        String channel = cstring(b);
        return new PgNotification(channel, cstring(b), pid);
    }

    /**
     * @param b a DataRow body
     * @param cols the columns
     * @param binary per column, whether its value came in binary; null for all text
     */
    static Row dataRow(ByteBuffer b, Columns cols, boolean[] binary) {
        if (cols == null) {
            throw malformed("DataRow without a RowDescription", null);
        }
        if (b.remaining() < 2 || (b.getShort(b.position()) & 0xFFFF) != cols.size()) {
            throw malformed("DataRow without one value per column (" + cols.size() + ")", null);
        }
        int n = b.getShort() & 0xFFFF;
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            if (b.remaining() < 4) {
                throw malformed("DataRow ends early", null);
            }
            int len = b.getInt();
            if (len < 0) {
                continue;
            }
            if (len > b.remaining()) {
                throw malformed("DataRow value of " + len + " bytes with " + b.remaining() + " left", null);
            }
            values[i] = value(b, cols.get(i).typeOid(), len, binary != null && binary[i], i);
        }
        return new Row(cols, values);
    }

    /** One value, confined to its {@code len} bytes: a decoder cannot read into the next value. */
    private static Object value(ByteBuffer b, int oid, int len, boolean binary, int column) {
        int limit = b.limit();
        int end = b.position() + len;
        b.limit(end);
        try {
            return binary ? BinaryDecoder.decode(oid, b, len) : TextDecoder.decode(oid, b, len);
        } catch (RuntimeException e) {
            throw malformed("column " + (column + 1) + " of type " + oid + " cannot be decoded", e);
        } finally {
            b.limit(limit).position(end);
        }
    }
}
