package io.eventide.pg.internal;

import io.eventide.pg.internal.codec.ParamEncoder;
import io.eventide.pg.internal.codec.Wire;
import java.util.Map;

/** Frontend messages of protocol 3 (the formats of "Message Formats" in the PostgreSQL manual). */
final class Messages {
    static final int PROTOCOL_30 = 3 << 16;
    static final int PROTOCOL_32 = 3 << 16 | 2;
    private static final int CANCEL_CODE = 80877102;

    private Messages() {
    }

    static void startup(Wire w, int protocol, Map<String, String> params) {
        w.beginUntyped().int32(protocol);
        for (Map.Entry<String, String> e : params.entrySet()) {
            w.cstring(e.getKey()).cstring(e.getValue());
        }
        w.int8(0).end();
    }

    static void cancel(Wire w, int pid, byte[] key) {
        w.beginUntyped().int32(CANCEL_CODE).int32(pid).bytes(key).end();
    }

    static void password(Wire w, byte[] password) {
        w.begin('p').bytes(password).int8(0).end();
    }

    static void saslInitial(Wire w, String mechanism, byte[] data) {
        w.begin('p').cstring(mechanism).int32(data.length).bytes(data).end();
    }

    static void saslResponse(Wire w, byte[] data) {
        w.begin('p').bytes(data).end();
    }

    static void query(Wire w, String sql) {
        w.begin('Q').cstring(sql).end();
    }

    static void parse(Wire w, String name, String sql, int[] oids) {
        w.begin('P').cstring(name).cstring(sql).int16(oids.length);
        for (int oid : oids) {
            w.int32(oid);
        }
        w.end();
    }

    /**
     * Bind: parameters in the formats {@link ParamEncoder} picks, results in {@code resultFormats}
     * (empty = all text; one entry = all in that format; else one per column).
     */
    static void bind(Wire w, String portal, String statement, Object[] params, short[] resultFormats) {
        w.begin('B').cstring(portal).cstring(statement);
        int binary = 0;
        for (Object p : params) {
            if (ParamEncoder.binary(p)) {
                binary++;
            }
        }
        if (binary == 0) {
            w.int16(0);
        } else if (binary == params.length) {
            w.int16(1).int16(1);
        } else {
            w.int16(params.length);
            for (Object p : params) {
                w.int16(ParamEncoder.binary(p) ? 1 : 0);
            }
        }
        w.int16(params.length);
        for (Object p : params) {
            ParamEncoder.write(p, w);
        }
        w.int16(resultFormats.length);
        for (short f : resultFormats) {
            w.int16(f);
        }
        w.end();
    }

    static void describe(Wire w, char kind, String name) {
        w.begin('D').int8(kind).cstring(name).end();
    }

    static void execute(Wire w, String portal, int maxRows) {
        w.begin('E').cstring(portal).int32(maxRows).end();
    }

    static void close(Wire w, char kind, String name) {
        w.begin('C').int8(kind).cstring(name).end();
    }

    static void sync(Wire w) {
        w.begin('S').end();
    }

    static void flush(Wire w) {
        w.begin('H').end();
    }

    static void terminate(Wire w) {
        w.begin('X').end();
    }

    static void copyData(Wire w, java.nio.ByteBuffer data) {
        w.begin('d').bytes(data).end();
    }

    static void copyDone(Wire w) {
        w.begin('c').end();
    }

    static void copyFail(Wire w, String reason) {
        w.begin('f').cstring(reason).end();
    }
}
