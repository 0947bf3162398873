package io.eventide.pg.internal;

import io.eventide.core.Promise;
import io.eventide.pg.Columns;
import io.eventide.pg.PgException;
import io.eventide.pg.Row;
import io.eventide.pg.RowSet;
import io.eventide.pg.internal.codec.Wire;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The simple query protocol: one Query message, possibly several statements, every result in text,
 * one RowSet per statement. Used for scripts and transaction control (BEGIN, COMMIT, SAVEPOINT).
 * A COPY reached through it is refused cleanly (CopyFail) or drained: COPY has its own API.
 */
final class SimpleQuery implements Command {
    private final String sql;
    private final Promise<List<RowSet>> promise;
    private final List<RowSet> results = new ArrayList<>();
    private Columns columns = Columns.NONE;
    private List<Row> rows = new ArrayList<>();
    private PgException error;

    SimpleQuery(String sql, Promise<List<RowSet>> promise) {
        this.sql = sql;
        this.promise = promise;
    }

    @Override
    public Object promise() {
        return promise;
    }

    @Override
    public void encode(WireConnection c, Wire w) {
        Messages.query(w, sql);
    }

    @Override
    public boolean message(WireConnection c, byte type, ByteBuffer body) {
        switch (type) {
            case 'T' -> columns = Backend.rowDescription(body);
            case 'D' -> rows.add(Backend.dataRow(body, columns, null));
            case 'C' -> {
                results.add(new RowSet(columns, rows, Backend.cstring(body)));
                columns = Columns.NONE;
                rows = new ArrayList<>();
            }
            case 'I' -> results.add(new RowSet(Columns.NONE, List.of(), ""));
            case 'E' -> {
                error = Backend.error(body);
                c.noteError(error);
            }
            case 'G' -> c.send(w -> Messages.copyFail(w, "COPY FROM STDIN needs PgClient.copyIn"));
            case 'H', 'd', 'c' -> { } // COPY TO STDOUT through a script: drained and dropped
            case 'Z' -> {
                if (promise != null) {
                    if (error != null) {
                        promise.reject(error);
                    } else {
                        promise.resolve(results);
                    }
                }
                return true;
            }
            default -> throw new IllegalStateException("unexpected message in a simple query");
        }
        return false;
    }

    @Override
    public void fail(Throwable cause) {
        if (promise != null) {
            promise.reject(error != null ? error : cause);
        }
    }
}
