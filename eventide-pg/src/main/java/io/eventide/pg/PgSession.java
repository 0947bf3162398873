package io.eventide.pg;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.pg.internal.Commands;
import io.eventide.pg.internal.CopyOut;
import io.eventide.pg.internal.Lease;
import io.eventide.pg.internal.Listener;
import io.eventide.pg.internal.RowStream;
import io.eventide.pg.internal.codec.ParamEncoder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One pooled connection held by one caller: what {@link PgClient#transaction} hands to its body,
 * and what {@link PgClient#session()} returns. Statements are pipelined (issue several without
 * waiting; they run in order). Give it back with {@link #release()}; a session released inside a
 * transaction is rolled back, one released during a stream has the stream closed, and one released
 * during a COPY is discarded, so nothing leaks into the next user.
 *
 * <pre>{@code
 * pg.transaction(tx -> tx.query("UPDATE account SET balance = balance - $1 WHERE id = $2", 10, from)
 *         .flatMap(r -> tx.savepoint("credit"))
 *         .flatMap(v -> tx.query("UPDATE account SET balance = balance + $1 WHERE id = $2", 10, to)));
 * }</pre>
 *
 * <p><b>Threading:</b> loop-confined: call it on the loop its promise completed on (checked);
 * results arrive there.
 */
public final class PgSession {
    private final Lease lease;
    private final EventLoop loop;
    private final int fetchSize;

    PgSession(Lease lease, int fetchSize) {
        this.lease = lease;
        this.loop = lease.pool().loop();
        this.fetchSize = fetchSize;
    }

    private void check() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("a PgSession is confined to " + loop.name() + "; called from "
                    + Thread.currentThread().getName());
        }
    }

    /**
     * @param sql one statement, parameters as {@code $1, $2, ...}
     * @param params the parameters (see {@link PgClient#query})
     * @return its result
     */
    public Promise<RowSet> query(String sql, Object... params) {
        check();
        Promise<RowSet> p = loop.promise();
        lease.query(Objects.requireNonNull(sql), ParamEncoder.check(params.clone()), p);
        return p;
    }

    /**
     * @param sql one statement
     * @param params one parameter set per execution
     * @return one result per execution; all run under one Sync (an error aborts the rest)
     */
    public Promise<List<RowSet>> batch(String sql, List<Object[]> params) {
        check();
        Promise<List<RowSet>> p = loop.promise();
        List<Object[]> ps = List.copyOf(params);
        ps.forEach(ParamEncoder::check);
        lease.batch(List.of(sql), ps, p);
        return p;
    }

    /** @param sql statements separated by semicolons, no parameters @return one result per statement */
    public Promise<List<RowSet>> script(String sql) {
        check();
        Promise<List<RowSet>> p = loop.promise();
        lease.script(sql, p);
        return p;
    }

    /**
     * @param sql one SELECT (or anything returning rows)
     * @param params its parameters
     * @param onRow receives each row, on this session's loop
     * @return the stream, to pause, resume or close it
     */
    public PgRowStream stream(String sql, Object[] params, Consumer<Row> onRow) {
        check();
        Promise<Long> done = loop.promise();
        PgRowStream s = new PgRowStream(loop, done);
        RowStream inner = lease.stream(sql, ParamEncoder.check(params.clone()), fetchSize, onRow, done);
        s.started(inner);
        return s;
    }

    /** @param sql a {@code COPY ... FROM STDIN} @return the copy, once the server is ready for data */
    public Promise<PgCopyIn> copyIn(String sql) {
        check();
        Promise<io.eventide.pg.internal.CopyIn> started = loop.promise();
        Promise<Long> done = loop.promise();
        lease.copyIn(sql, started, done);
        done.onFailure(e -> { }); // reported through started when the copy never began
        return started.map(c -> new PgCopyIn(c, done));
    }

    /**
     * @param sql a {@code COPY ... TO STDOUT}
     * @param onData receives each chunk of data (valid only during the call), on this loop
     * @return the copy, to pause or resume it and learn its row count
     */
    public PgCopyOut copyOut(String sql, Consumer<ByteBuffer> onData) {
        check();
        Promise<Long> done = loop.promise();
        PgCopyOut c = new PgCopyOut(loop, done);
        CopyOut inner = lease.copyOut(sql, onData, done);
        c.started(inner);
        return c;
    }

    /** @return settled when BEGIN ran */
    public Promise<Void> begin() {
        return control("BEGIN");
    }

    /**
     * @return settled when COMMIT ran; rejected with 25P02 when the transaction had failed and
     *     PostgreSQL rolled it back instead
     */
    public Promise<Void> commit() {
        check();
        Promise<List<RowSet>> p = loop.promise();
        lease.script("COMMIT", p);
        return p.map(r -> {
            if (!r.isEmpty() && "ROLLBACK".equals(r.get(0).tag())) {
                throw new PgException("25P02", "the transaction had failed; COMMIT rolled it back", null);
            }
            return null;
        });
    }

    /** @return settled when ROLLBACK ran */
    public Promise<Void> rollback() {
        return control("ROLLBACK");
    }

    /** @param name savepoint name @return settled when SAVEPOINT ran */
    public Promise<Void> savepoint(String name) {
        return control("SAVEPOINT " + Listener.quote(name));
    }

    /** @param name savepoint name @return settled when ROLLBACK TO SAVEPOINT ran */
    public Promise<Void> rollbackTo(String name) {
        return control("ROLLBACK TO SAVEPOINT " + Listener.quote(name));
    }

    /** @param name savepoint name @return settled when RELEASE SAVEPOINT ran */
    public Promise<Void> releaseSavepoint(String name) {
        return control("RELEASE SAVEPOINT " + Listener.quote(name));
    }

    private Promise<Void> control(String sql) {
        check();
        Promise<List<RowSet>> p = loop.promise();
        lease.script(sql, p);
        return p.map(r -> null);
    }

    /**
     * @return the transaction status from the last ReadyForQuery: 'I' idle, 'T' in a transaction,
     *     'E' in a failed transaction (only ROLLBACK will be accepted)
     */
    public char transactionStatus() {
        return lease.txStatus();
    }

    /** @return the server's process id for this session */
    public int processId() {
        return lease.wire().processId();
    }

    /** @return the protocol version in use: 3.0, or 3.2 with a server that accepts it */
    public String protocolVersion() {
        return "3." + lease.wire().protocolMinor();
    }

    /** @return the server's run-time parameters as last reported (ParameterStatus) */
    public java.util.Map<String, String> serverParameters() {
        return java.util.Collections.unmodifiableMap(lease.wire().serverParams());
    }

    /** Asks the server to cancel the statement this session is running (it then fails with 57014). */
    public void cancel() {
        check();
        Commands.cancel(lease);
    }

    Lease lease() {
        return lease;
    }

    /** Gives the connection back to the pool. Idempotent. */
    public void release() {
        if (!loop.inLoop()) {
            loop.execute(lease::release);
            return;
        }
        lease.release();
    }
}
