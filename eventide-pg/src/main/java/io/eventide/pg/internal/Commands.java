package io.eventide.pg.internal;

import io.eventide.core.Promise;
import io.eventide.pg.PgException;
import io.eventide.pg.RowSet;
import java.time.Duration;
import java.util.List;

/**
 * Entry points the API package uses to run statements on a pool or to cancel them, without seeing
 * the command types. Loop-confined: call on the pool's loop.
 *
 * <p><b>Threading:</b> loop-confined: call on the pool's loop.
 */
public final class Commands {
    private Commands() {
    }

    /** Runs one statement on a shared connection of {@code pool}, cancelled past {@code timeout} (ZERO: never). */
    public static void query(LoopPool pool, String sql, Object[] params, Promise<RowSet> promise, Duration timeout) {
        pool.submit(limit(pool, QueryCommand.single(sql, params, promise, pool.stats()), timeout));
    }

    /** Runs statements under one Sync on a shared connection of {@code pool}, cancelled past {@code timeout}. */
    public static void batch(LoopPool pool, List<String> sql, List<Object[]> params, Promise<List<RowSet>> promise,
            Duration timeout) {
        pool.submit(limit(pool, batch(sql, params, promise, pool.stats()), timeout));
    }

    /** Arms the command's deadline; the command disarms it when it settles (no listener on the user's promise). */
    private static QueryCommand limit(LoopPool pool, QueryCommand cmd, Duration timeout) {
        if (!timeout.isZero()) {
            cmd.deadline(pool.loop().setTimeout(timeout, () -> cancel(pool, (Promise<?>) cmd.promise())));
        }
        return cmd;
    }

    /** Runs a simple-protocol script on a shared connection of {@code pool}. */
    public static void script(LoopPool pool, String sql, Promise<List<RowSet>> promise) {
        pool.submit(new SimpleQuery(sql, promise));
    }

    static QueryCommand batch(List<String> sql, List<Object[]> params, Promise<List<RowSet>> promise, PoolStats stats) {
        QueryCommand.Exec[] execs = new QueryCommand.Exec[params.size()];
        for (int i = 0; i < execs.length; i++) {
            execs[i] = new QueryCommand.Exec(sql.size() == 1 ? sql.get(0) : sql.get(i), params.get(i));
        }
        return new QueryCommand(execs, promise, false, stats, false);
    }

    /**
     * Cancels the statement settling {@code promise}: one still waiting for a connection is failed at
     * once; one the server is running gets a CancelRequest (the server then fails it with 57014);
     * one queued behind others on its connection is failed at once and its results are dropped.
     *
     * @return true when a statement was found
     */
    public static boolean cancel(LoopPool pool, Promise<?> promise) {
        Object[] found = pool.find(promise);
        if (found == null) {
            return false;
        }
        WireConnection wire = (WireConnection) found[0];
        Command cmd = (Command) found[1];
        if (wire != null && wire.isHead(cmd)) {
            wire.sendCancel();
            return true;
        }
        if (cmd instanceof QueryCommand q) {
            q.abandon();
        }
        cmd.fail(new PgException(PgException.QUERY_CANCELED, "statement cancelled before the server ran it", null));
        return true;
    }

    /** Cancels what {@code lease}'s connection is running. */
    public static void cancel(Lease lease) {
        lease.wire().sendCancel();
    }

}
