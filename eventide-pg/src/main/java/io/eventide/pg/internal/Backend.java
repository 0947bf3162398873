package io.eventide.pg.internal;

import io.eventide.pg.Column;
import io.eventide.pg.Columns;
import io.eventide.pg.PgException;
import io.eventide.pg.Row;
import io.eventide.pg.internal.codec.BinaryDecoder;
import io.eventide.pg.internal.codec.TextDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsing of backend message bodies. */
final class Backend {
    private Backend() {
    }

    static String cstring(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) {
            end++;
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
        int n = b.getShort() & 0xFFFF;
        int[] oids = new int[n];
        for (int i = 0; i < n; i++) {
            oids[i] = b.getInt();
        }
        return oids;
    }

    /**
     * @param b a DataRow body
     * @param cols the columns
     * @param binary per column, whether its value came in binary; null for all text
     */
    static Row dataRow(ByteBuffer b, Columns cols, boolean[] binary) {
        int n = b.getShort() & 0xFFFF;
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            int len = b.getInt();
            if (len < 0) {
                continue;
            }
            int oid = cols.get(i).typeOid();
            values[i] = binary != null && binary[i] ? BinaryDecoder.decode(oid, b, len) : TextDecoder.decode(oid, b, len);
        }
        return new Row(cols, values);
    }
}
