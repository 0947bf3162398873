package io.eventide.pg;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.pg.internal.Commands;
import io.eventide.pg.internal.Lease;
import io.eventide.pg.internal.Listener;
import io.eventide.pg.internal.LoopPool;
import io.eventide.pg.internal.PoolStats;
import io.eventide.pg.internal.ServerMemory;
import io.eventide.pg.internal.codec.ParamEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A pooled PostgreSQL client on Eventide's loops: the v3 wire protocol spoken on the loop itself
 * (no JDBC, no thread per connection), statements pipelined, prepared statements cached per
 * connection, every result a {@link Promise} completed on the caller's loop.
 *
 * <pre>{@code
 * PgClient pg = PgClient.create(group, PgOptions.defaults().database("app").user("app").password(pw));
 * app.get("/users/:id", (req, res) -> pg.query("SELECT name FROM users WHERE id = $1", Integer.valueOf(req.param("id")))
 *         .onSuccess(rows -> res.end(rows.first().getString(0)))
 *         .onFailure(err -> res.sendError(500, "database error")));
 * }</pre>
 *
 * <pre>
 *   caller on loop k ─► pool of loop k ─► connection (loop k) ─► PostgreSQL
 *                       bounded: maxSize connections, maxWaiters waiting, acquireTimeout each
 * </pre>
 *
 * <p>Each loop has its own pool of up to {@code maxSize} connections, so a statement never changes
 * thread: it is encoded, sent, answered and decoded on the caller's loop. A caller that is not on
 * one of the group's loops is given a loop in turn, and its promise completes there. Statements of
 * one caller run in the order issued on a given connection; independent statements may run on
 * different connections. Errors are {@link PgException}s (SQLSTATE and every server field), or
 * {@link io.eventide.core.OverloadException} when the pool is full past its deadline.
 *
 * <p>Parameters are Java values bound in binary where they have a type (Integer, Long, Double,
 * Boolean, UUID, byte[], java.time values, arrays of those), and as text for {@link String}, enums
 * and {@link java.math.BigDecimal} (see {@link Row} for the values coming back).
 *
 * <p><b>Threading:</b> any thread. Results, rows and notifications are delivered on the caller's
 * loop (or the loop assigned to a caller from outside the group).
 */
public final class PgClient {
    private final LoopGroup group;
    private final PgOptions options;
    private final Map<EventLoop, LoopPool> pools = new IdentityHashMap<>();
    private final List<LoopPool> poolList = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ServerMemory secrets = new ServerMemory();
    private final PoolStats stats;
    private final Listener listener;

    private PgClient(LoopGroup group, PgOptions options) {
        this.group = group;
        this.options = options;
        this.stats = new PoolStats(secrets);
        for (EventLoop l : group.loops()) {
            LoopPool p = new LoopPool(l, options, secrets, stats);
            pools.put(l, p);
            poolList.add(p);
        }
        this.listener = new Listener(group.loop(0), options, secrets);
    }

    /**
     * Creates a client; connections are opened on demand.
     *
     * @param group the loops to run on
     * @param options where and how to connect, pool limits
     * @return the client
     */
    public static PgClient create(LoopGroup group, PgOptions options) {
        return new PgClient(Objects.requireNonNull(group, "group"), Objects.requireNonNull(options, "options"));
    }

    /** The pool of the calling loop, or one in turn for callers from outside the group. */
    private LoopPool pool() {
        EventLoop cur = EventLoop.current();
        LoopPool p = cur == null ? null : pools.get(cur);
        if (p != null) {
            return p;
        }
        return poolList.get(Math.floorMod(next.getAndIncrement(), poolList.size()));
    }

    private static void on(LoopPool p, Runnable r) {
        if (p.loop().inLoop()) {
            r.run();
        } else {
            p.loop().execute(r);
        }
    }

    /**
     * Runs one statement (extended protocol, prepared and cached per connection, its own Sync).
     *
     * @param sql one statement, parameters written {@code $1, $2, ...}
     * @param params the parameters
     * @return its result
     * @throws IllegalArgumentException for a parameter of a type with no mapping
     */
    public Promise<RowSet> query(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql");
        Object[] ps = ParamEncoder.check(params.clone()); // programming errors here, not on the loop
        LoopPool p = pool();
        Promise<RowSet> result = p.loop().promise();
        on(p, () -> Commands.query(p, sql, ps, result, options.queryTimeout()));
        return result;
    }

    /**
     * Runs {@code sql} once per parameter set, all under one Sync: one round trip, and one implicit
     * transaction (the first error aborts the rest and nothing of the batch is kept).
     *
     * @param sql one statement
     * @param params one parameter set per execution
     * @return one result per execution
     */
    public Promise<List<RowSet>> batch(String sql, List<Object[]> params) {
        Objects.requireNonNull(sql, "sql");
        List<Object[]> ps = List.copyOf(params);
        ps.forEach(ParamEncoder::check);
        LoopPool p = pool();
        Promise<List<RowSet>> result = p.loop().promise();
        on(p, () -> Commands.batch(p, List.of(sql), ps, result, options.queryTimeout()));
        return result;
    }

    /**
     * Runs statements separated by semicolons over the simple protocol (no parameters; results in
     * text, decoded to the same Java values).
     *
     * @param sql the script
     * @return one result per statement
     */
    public Promise<List<RowSet>> script(String sql) {
        Objects.requireNonNull(sql, "sql");
        LoopPool p = pool();
        Promise<List<RowSet>> result = p.loop().promise();
        on(p, () -> Commands.script(p, sql, result));
        return result;
    }

    /**
     * Takes a connection for the caller alone, until {@link PgSession#release()}.
     *
     * @return the session, or {@link io.eventide.core.OverloadException} past the pool's limits
     */
    public Promise<PgSession> session() {
        LoopPool p = pool();
        Promise<PgSession> result = p.loop().promise();
        on(p, () -> p.acquire().whenComplete((lease, err) -> {
            if (err != null) {
                result.reject(err);
            } else {
                result.resolve(new PgSession(lease, options.fetchSize()));
            }
        }));
        return result;
    }

    /**
     * Runs {@code body} in a transaction: BEGIN (pipelined with the body's first statement), then
     * COMMIT if the body's promise resolves, ROLLBACK if it rejects or throws. The connection goes
     * back to the pool either way.
     *
     * @param <T> the body's result
     * @param body issues statements on the session and returns a promise of its result
     * @return the body's result after COMMIT, or its failure after ROLLBACK
     */
    public <T> Promise<T> transaction(Function<PgSession, Promise<T>> body) {
        Objects.requireNonNull(body, "body");
        return session().flatMap(s -> {
            Promise<T> result = s.lease().pool().loop().promise();
            s.begin().onFailure(e -> { }); // a failed BEGIN fails the body's statements too
            Promise<T> work;
            try {
                work = body.apply(s);
            } catch (RuntimeException e) {
                work = Promise.failed(result.loop(), e);
            }
            work.whenComplete((v, err) -> {
                Promise<Void> end = err == null ? s.commit() : s.rollback();
                end.whenComplete((x, endErr) -> {
                    s.release();
                    if (err != null) {
                        result.reject(err);
                    } else if (endErr != null) {
                        result.reject(endErr);
                    } else {
                        result.resolve(v);
                    }
                });
            });
            return result;
        });
    }

    /**
     * Streams a result row by row with backpressure, on a connection of its own that goes back to
     * the pool when the stream ends.
     *
     * @param sql the query
     * @param params its parameters
     * @param onRow receives each row on the caller's loop
     * @return the stream
     */
    public PgRowStream stream(String sql, Object[] params, Consumer<Row> onRow) {
        Objects.requireNonNull(onRow, "onRow");
        Object[] ps = ParamEncoder.check(params.clone());
        LoopPool p = pool();
        Promise<Long> done = p.loop().promise();
        PgRowStream stream = new PgRowStream(p.loop(), done);
        on(p, () -> p.acquire().whenComplete((lease, err) -> {
            if (err != null) {
                done.reject(err);
                return;
            }
            Promise<Long> inner = p.loop().promise();
            stream.started(lease.stream(sql, ps, options.fetchSize(), onRow, inner));
            inner.whenComplete((n, e) -> {
                lease.release();
                if (e != null) {
                    done.reject(e);
                } else {
                    done.resolve(n);
                }
            });
        }));
        return stream;
    }

    /**
     * Starts a {@code COPY ... FROM STDIN} on a connection of its own (back to the pool when the
     * copy ends).
     *
     * @param sql the COPY statement
     * @return the copy, once the server waits for data
     */
    public Promise<PgCopyIn> copyIn(String sql) {
        Objects.requireNonNull(sql, "sql");
        return session().flatMap(s -> {
            Promise<PgCopyIn> started = s.copyIn(sql);
            started.whenComplete((c, err) -> {
                if (err != null) {
                    s.release();
                } else {
                    c.done().whenComplete((n, e) -> s.release());
                }
            });
            return started;
        });
    }

    /**
     * Runs a {@code COPY ... TO STDOUT} on a connection of its own.
     *
     * @param sql the COPY statement
     * @param onData receives each chunk (valid only during the call) on the caller's loop
     * @return the copy
     */
    public PgCopyOut copyOut(String sql, Consumer<ByteBuffer> onData) {
        Objects.requireNonNull(onData, "onData");
        LoopPool p = pool();
        Promise<Long> done = p.loop().promise();
        PgCopyOut copy = new PgCopyOut(p.loop(), done);
        on(p, () -> p.acquire().whenComplete((lease, err) -> {
            if (err != null) {
                done.reject(err);
                return;
            }
            Promise<Long> inner = p.loop().promise();
            copy.started(lease.copyOut(sql, onData, inner));
            inner.whenComplete((n, e) -> {
                lease.release();
                if (e != null) {
                    done.reject(e);
                } else {
                    done.resolve(n);
                }
            });
        }));
        return copy;
    }

    /**
     * Calls {@code handler} with every NOTIFY on {@code channel}. All channels share one dedicated
     * connection (not from the pool), which reconnects and LISTENs again by itself.
     *
     * @param channel the channel name (used as a quoted identifier)
     * @param handler receives notifications on the caller's loop
     * @return the subscription, once the server confirmed the LISTEN
     */
    public Promise<PgSubscription> listen(String channel, Consumer<PgNotification> handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        EventLoop caller = pool().loop();
        Promise<PgSubscription> result = caller.promise();
        listener.loop().execute(() -> listener.listen(channel, handler, caller).whenComplete((undo, err) -> {
            if (err != null) {
                result.reject(err);
            } else {
                result.resolve(new PgSubscription(channel, undo));
            }
        }));
        return result;
    }

    /**
     * Cancels the statement that {@code statement} (a promise returned by {@link #query} or
     * {@link #batch} on this client) stands for. Waiting for a connection or queued behind other
     * statements, it fails at once with SQLSTATE 57014; running, the server is sent a
     * CancelRequest and fails it with 57014 (if it has not finished already).
     *
     * @param statement the statement's promise
     * @return true if the statement was found in flight, on the promise's loop
     */
    public Promise<Boolean> cancel(Promise<?> statement) {
        LoopPool p = pools.get(statement.loop());
        Promise<Boolean> result = statement.loop().promise();
        if (p == null) {
            result.resolve(false);
            return result;
        }
        on(p, () -> result.resolve(Commands.cancel(p, statement)));
        return result;
    }

    /** @return the pool's metrics, summed over loops */
    public PgMetrics metrics() {
        return stats;
    }

    /** @return the options */
    public PgOptions options() {
        return options;
    }

    /** @return the loop group */
    public LoopGroup group() {
        return group;
    }

    /**
     * Closes the LISTEN connection and every pooled connection once its statements are answered;
     * waiting requests fail.
     *
     * @return settled when every connection is closed
     */
    public Promise<Void> close() {
        EventLoop l = group.loop(0);
        List<Promise<Void>> all = new ArrayList<>();
        l.execute(listener::close);
        for (LoopPool p : poolList) {
            Promise<Void> done = p.loop().promise();
            on(p, () -> p.close().whenComplete((v, e) -> done.resolve(null)));
            all.add(done);
        }
        return Promise.all(l, all).map(v -> null);
    }
}
