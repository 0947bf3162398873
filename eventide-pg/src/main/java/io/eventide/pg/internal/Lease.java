package io.eventide.pg.internal;

import io.eventide.core.Promise;
import io.eventide.pg.PgException;
import io.eventide.pg.Row;
import io.eventide.pg.RowSet;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * A pooled connection taken for one caller (transaction, stream, COPY, session). Statements are
 * pipelined on it like on shared connections; while a row stream or a COPY holds the session's
 * protocol state nothing else may be sent. Given back with {@link #release()}: an open stream is
 * closed, a COPY in progress discards the connection (the protocol cannot abandon it cleanly), an
 * open transaction is rolled back. Loop-confined.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class Lease {
    private final LoopPool pool;
    private final Pooled pooled;
    private Command exclusive;
    private boolean released;

    Lease(LoopPool pool, Pooled pooled) {
        this.pool = pool;
        this.pooled = pooled;
    }

    /** @return the connection */
    public WireConnection wire() {
        return pooled.wire;
    }

    /** @return the owning pool */
    public LoopPool pool() {
        return pool;
    }

    private void check() {
        if (released) {
            throw new IllegalStateException("this PostgreSQL session was released");
        }
        if (exclusive != null && exclusive.promise() instanceof Promise<?> p && !p.isDone()) {
            throw new IllegalStateException("a row stream or COPY is running on this session; wait for it to end");
        }
    }

    /** Runs one statement. */
    public void query(String sql, Object[] params, Promise<RowSet> promise) {
        check();
        pooled.wire.submit(QueryCommand.single(sql, params, promise, pool.stats()));
    }

    /** Runs {@code sql} once per parameter set under one Sync. */
    public void batch(List<String> sql, List<Object[]> params, Promise<List<RowSet>> promise) {
        check();
        pooled.wire.submit(Commands.batch(sql, params, promise, pool.stats()));
    }

    /** Runs a script over the simple protocol. */
    public void script(String sql, Promise<List<RowSet>> promise) {
        check();
        pooled.wire.submit(new SimpleQuery(sql, promise));
    }

    /** Starts a row stream. */
    public RowStream stream(String sql, Object[] params, int fetch, Consumer<Row> onRow, Promise<Long> done) {
        check();
        RowStream s = new RowStream(sql, params, fetch, onRow, done);
        exclusive = s;
        pooled.wire.submit(s);
        return s;
    }

    /** Starts COPY FROM STDIN. */
    public void copyIn(String sql, Promise<CopyIn> started, Promise<Long> done) {
        check();
        CopyIn c = new CopyIn(sql, started, done);
        exclusive = c;
        pooled.wire.submit(c);
    }

    /** Starts COPY TO STDOUT. */
    public CopyOut copyOut(String sql, Consumer<ByteBuffer> onData, Promise<Long> done) {
        check();
        CopyOut c = new CopyOut(sql, onData, done);
        exclusive = c;
        pooled.wire.submit(c);
        return c;
    }

    /** @return the last known transaction status: 'I', 'T' or 'E' */
    public char txStatus() {
        return pooled.wire.txStatus();
    }

    /** Gives the connection back (cleaned first, or discarded). Idempotent. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        if (exclusive != null && exclusive.promise() instanceof Promise<?> p && !p.isDone()) {
            if (exclusive instanceof RowStream rs) {
                rs.close();
            } else if (exclusive instanceof CopyIn ci && ci.isOpen()) {
                ci.abort("session released during COPY");
            } else {
                pooled.wire.destroy(new PgException(PgException.CONNECTION_FAILURE,
                        "session released during COPY TO STDOUT: connection discarded", null));
            }
        }
        pool.release(pooled);
    }
}
