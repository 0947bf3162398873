package io.eventide.pg.internal;

import io.eventide.pg.Columns;
import io.eventide.pg.PgException;
import io.eventide.pg.internal.codec.Oids;

/**
 * A named prepared statement of one connection. Its description (parameter types, result columns)
 * arrives with the first execution, which is sent together with the Parse (no round trip of its
 * own); until then results are asked for in text, afterwards in binary for the types that have a
 * binary decoder.
 */
final class Statement {
    private static final short[] ALL_TEXT = {};
    private static final short[] ALL_BINARY = {1};

    final String name;
    final String sql;
    final int[] declaredOids;
    /** Set when the description arrived; null before. */
    Columns columns;
    boolean[] binary;
    short[] resultFormats = ALL_TEXT;
    /** Set when Parse failed: pipelined users of the statement report this instead of "does not exist". */
    PgException parseError;
    boolean closed;

    Statement(String name, String sql, int[] declaredOids) {
        this.name = name;
        this.sql = sql;
        this.declaredOids = declaredOids;
    }

    boolean described() {
        return columns != null;
    }

    /** Records the result columns and picks the result formats for later executions. */
    void describe(Columns cols) {
        int n = cols.size();
        boolean[] bin = new boolean[n];
        int nb = 0;
        for (int i = 0; i < n; i++) {
            bin[i] = Oids.binaryResult(cols.get(i).typeOid());
            nb += bin[i] ? 1 : 0;
        }
        if (nb == 0) {
            resultFormats = ALL_TEXT;
        } else if (nb == n) {
            resultFormats = ALL_BINARY;
        } else {
            short[] f = new short[n];
            for (int i = 0; i < n; i++) {
                f[i] = (short) (bin[i] ? 1 : 0);
            }
            resultFormats = f;
        }
        binary = bin;
        columns = cols;
    }
}
