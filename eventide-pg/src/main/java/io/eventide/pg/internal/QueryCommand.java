package io.eventide.pg.internal;

import io.eventide.core.Promise;
import io.eventide.pg.Columns;
import io.eventide.pg.PgException;
import io.eventide.pg.Row;
import io.eventide.pg.RowSet;
import io.eventide.pg.internal.codec.ParamEncoder;
import io.eventide.pg.internal.codec.Wire;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One or more statement executions over the extended protocol, ended by one Sync. A statement not
 * yet in the connection's cache goes out as Parse + Describe + Bind + Execute in the same write as
 * everything else (no round trip to learn its columns first: its first results come in text, which
 * every type can be read from), so an unseen statement never stalls the pipeline.
 *
 * <pre>
 *   new named:  Parse(eN) Describe(S eN) Bind(text) Execute  ... Sync
 *   cached:     Bind(binary where decodable) Execute           ... Sync
 *   unnamed:    Parse("") Bind(text) Describe(P) Execute       ... Sync
 * </pre>
 *
 * A single query is one execution (its own Sync: an error stays its own); a batch is several
 * executions under one Sync (an error aborts the rest, as one implicit transaction). A statement
 * invalidated on the server ({@code cached plan must not change result type}, or
 * {@code prepared statement ... does not exist}) is dropped from the cache and the command is sent
 * once more, when that is safe (outside a transaction block).
 */
final class QueryCommand implements Command {
    private static final short[] TEXT = {};

    private final Exec[] execs;
    private final Promise<Object> promise;
    private final boolean single;
    private final PoolStats stats;
    private final boolean retried;
    private final long started = System.nanoTime();
    private int cur;
    private PgException error;
    private boolean retry;
    private boolean abandoned;
    private io.eventide.core.Timer deadline;

    /** One execution of one statement with one set of parameters. */
    static final class Exec {
        final String sql;
        final Object[] params;
        Statement stmt;
        boolean parse;
        boolean parsed;
        boolean textResults;
        Columns columns;
        boolean[] binary;
        List<Row> rows;
        String tag = "";

        Exec(String sql, Object[] params) {
            this.sql = sql;
            this.params = params;
        }

        Exec fresh() {
            return new Exec(sql, params);
        }
    }

    @SuppressWarnings("unchecked")
    QueryCommand(Exec[] execs, Promise<?> promise, boolean single, PoolStats stats, boolean retried) {
        this.execs = execs;
        this.promise = (Promise<Object>) promise;
        this.single = single;
        this.stats = stats;
        this.retried = retried;
    }

    static QueryCommand single(String sql, Object[] params, Promise<RowSet> promise, PoolStats stats) {
        return new QueryCommand(new Exec[] {new Exec(sql, params)}, promise, true, stats, false);
    }

    @Override
    public Object promise() {
        return promise;
    }

    /** @param t the queryTimeout timer, cancelled when this command settles */
    void deadline(io.eventide.core.Timer t) {
        deadline = t;
    }

    /** The promise was settled elsewhere (cancelled before it ran): drop the results when they come. */
    void abandon() {
        abandoned = true;
    }

    @Override
    public void encode(WireConnection c, Wire w) {
        StatementCache cache = c.statements();
        for (Exec e : execs) {
            int[] oids = new int[e.params.length];
            for (int i = 0; i < oids.length; i++) {
                oids[i] = ParamEncoder.oid(e.params[i]);
            }
            if (cache.enabled()) {
                named(c, cache, e, oids, w);
            } else {
                e.parse = true;
                e.textResults = true;
                Messages.parse(w, "", e.sql, oids);
                Messages.bind(w, "", "", e.params, TEXT);
                Messages.describe(w, 'P', "");
                Messages.execute(w, "", 0);
            }
        }
        Messages.sync(w);
    }

    private static void named(WireConnection c, StatementCache cache, Exec e, int[] oids, Wire w) {
        Statement s = cache.get(e.sql, oids);
        if (s == null) {
            Statement[] evicted = new Statement[1];
            s = cache.create(e.sql, oids, evicted);
            if (evicted[0] != null) {
                c.after(new CloseStatement(evicted[0])); // after this command's Sync, never inside it
            }
            e.parse = true;
            Messages.parse(w, s.name, e.sql, oids);
            Messages.describe(w, 'S', s.name);
        }
        e.stmt = s;
        e.textResults = !s.described();
        Messages.bind(w, "", s.name, e.params, e.textResults ? TEXT : s.resultFormats);
        Messages.execute(w, "", 0);
    }

    @Override
    public boolean message(WireConnection c, byte type, ByteBuffer body) {
        Exec e = cur < execs.length ? execs[cur] : null;
        switch (type) {
            case '1' -> e.parsed = true;
            case 't', '2' -> { }
            case 'T' -> described(e, Backend.rowDescription(body));
            case 'n' -> described(e, Columns.NONE);
            case 'D' -> row(e, body);
            case 'C' -> {
                e.tag = Backend.cstring(body);
                cur++;
            }
            case 'I' -> cur++;
            case 'E' -> failed(c, e, Backend.error(body));
            case 'Z' -> {
                finish(c);
                return true;
            }
            default -> throw new IllegalStateException("unexpected message in a query");
        }
        return false;
    }

    private static void described(Exec e, Columns cols) {
        if (e.stmt != null && !e.stmt.described()) {
            e.stmt.describe(cols);
        }
        if (e.stmt == null) {
            e.columns = cols;
        }
    }

    private static void row(Exec e, ByteBuffer body) {
        if (e.rows == null) {
            e.rows = new ArrayList<>();
        }
        if (e.columns == null) {
            e.columns = e.stmt.columns;
            e.binary = e.textResults ? null : e.stmt.binary;
        }
        e.rows.add(Backend.dataRow(body, e.columns, e.binary));
    }

    private void failed(WireConnection c, Exec e, PgException err) {
        c.noteError(err);
        error = err;
        if (e == null || e.stmt == null) {
            return;
        }
        Statement s = e.stmt;
        StatementCache cache = c.statements();
        if (e.parse && !e.parsed) {
            s.parseError = err; // pipelined users of s will hear "does not exist": tell them this instead
            cache.remove(s);
        } else if ("26000".equals(err.sqlState())) {
            cache.remove(s);
            if (s.parseError != null) {
                error = s.parseError;
            } else {
                retry = true; // dropped on the server (DISCARD ALL, a pooler switching sessions)
            }
        } else if ("0A000".equals(err.sqlState()) && String.valueOf(err.serverMessage()).startsWith("cached plan must not")) {
            cache.remove(s);
            if (!s.closed) {
                c.submit(new CloseStatement(s));
            }
            retry = true;
        }
    }

    private void finish(WireConnection c) {
        if (abandoned) {
            return; // already failed (and its deadline disarmed) by fail()
        }
        if (error != null && retry && !retried && c.txStatus() == 'I' && !c.isRetired()) {
            Exec[] again = new Exec[execs.length];
            for (int i = 0; i < execs.length; i++) {
                again[i] = execs[i].fresh();
            }
            QueryCommand next = new QueryCommand(again, promise, single, stats, true);
            next.deadline = deadline; // the same statement: the same deadline
            c.submit(next);
            return;
        }
        if (deadline != null) {
            deadline.cancel();
        }
        if (stats != null) {
            stats.queryDone(System.nanoTime() - started, error != null);
        }
        if (error != null) {
            promise.reject(error);
        } else if (single) {
            promise.resolve(result(execs[0]));
        } else {
            List<RowSet> all = new ArrayList<>(execs.length);
            for (Exec e : execs) {
                all.add(result(e));
            }
            promise.resolve(all);
        }
    }

    private static RowSet result(Exec e) {
        Columns cols = e.columns != null ? e.columns : e.stmt != null && e.stmt.columns != null ? e.stmt.columns : Columns.NONE;
        return new RowSet(cols, e.rows == null ? List.of() : e.rows, e.tag);
    }

    @Override
    public void fail(Throwable cause) {
        if (deadline != null) {
            deadline.cancel();
        }
        if (stats != null && !promise.isDone()) {
            stats.queryDone(System.nanoTime() - started, true);
        }
        promise.reject(error != null ? error : cause);
    }
}
