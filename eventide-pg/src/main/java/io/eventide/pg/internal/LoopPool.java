package io.eventide.pg.internal;

import io.eventide.core.EventLoop;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import io.eventide.pg.PgException;
import io.eventide.pg.PgOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The connections of one loop. Bounded: at most {@code maxSize} connections, at most
 * {@code maxWaiters} requests queued, each for at most {@code acquireTimeout}; past any of these a
 * request fails with {@link OverloadException} instead of queueing without bound.
 *
 * <p>Two kinds of work:
 * <ol>
 *   <li>Shared statements ({@code query}, {@code batch}) go to an idle connection if there is
 *       one; else, while the pool can grow, they wait for a new connection (or the first one to
 *       free up); once it is full they are pipelined on the least loaded connection under
 *       {@code pipelineLimit}; else they wait.</li>
 *   <li>Leases (transactions, streams, COPY, {@code session()}) take a connection for themselves:
 *       an idle one, else a new one, else they wait; a waiting lease reserves the least loaded
 *       connection so that no new shared work lands on it and it drains for the lease.</li>
 * </ol>
 * A connection is handed out only if what is already known says it is sound (open, not retired,
 * ReadyForQuery status idle, within its lifetime): no validation query. One that saw a
 * connection-fatal error (08xxx, 57P01, 25006, FATAL) is retired and closed when it drains. A lease
 * given back in a transaction is rolled back before anyone else gets it. Idle connections close
 * after {@code idleTimeout}; each connection retires after {@code maxLifetime} less a random tenth.
 * Loop-confined.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class LoopPool {
    private static final System.Logger LOG = System.getLogger("io.eventide.pg");
    /** After a failed connect, the pool serves from the connections it has for this long before trying again. */
    private static final long GROW_BACKOFF_NANOS = 250_000_000L;

    private final EventLoop loop;
    private final PgOptions options;
    private final ServerMemory secrets;
    private final PoolStats stats;
    private final List<Pooled> conns = new ArrayList<>();
    private final ArrayDeque<Waiter> sharedWaiters = new ArrayDeque<>();
    private final ArrayDeque<Waiter> leaseWaiters = new ArrayDeque<>();
    private int connecting;
    private long growBlockedUntil = System.nanoTime();
    private final PoolStats.Share gauges;
    private Timer sweeper;
    private boolean closed;
    private Promise<Void> closedPromise;

    /**
     * @param loop the owning loop
     * @param options settings
     * @param secrets the client's SCRAM cache
     * @param stats the client's counters
     */
    public LoopPool(EventLoop loop, PgOptions options, ServerMemory secrets, PoolStats stats) {
        this.loop = loop;
        this.options = options;
        this.secrets = secrets;
        this.stats = stats;
        this.gauges = stats.share();
    }

    /** @return the owning loop */
    public EventLoop loop() {
        return loop;
    }

    PoolStats stats() {
        return stats;
    }

    // ------------------------------------------------------------------------------------------
    // Shared statements

    /** Sends {@code cmd} on a shared connection, or queues it. */
    void submit(Command cmd) {
        if (closed) {
            cmd.fail(new PgException(PgException.CONNECTION_FAILURE, "the PostgreSQL client is closed", null));
            return;
        }
        startSweeper();
        Pooled p = pickShared();
        // Pipeline behind busy connections only once the pool is full: while it can grow, a new
        // connection (or the first one to free up) serves sooner than a queue behind a slow statement.
        if (p != null && (p.wire.inflight() == 0 || !canGrow())) {
            p.wire.submit(cmd);
            publish();
            return;
        }
        enqueue(new Waiter(cmd, null));
    }

    private Pooled pickShared() {
        Pooled best = null;
        for (Pooled p : conns) {
            if (p.leased || p.reservedFor != null || !sound(p) || p.wire.inflight() >= options.pipelineLimit()) {
                continue;
            }
            if (best == null || p.wire.inflight() < best.wire.inflight()) {
                best = p;
                if (p.wire.inflight() == 0) {
                    break;
                }
            }
        }
        return best;
    }

    /** Validation from known state: open, not retired, not in a transaction, within its lifetime. */
    private boolean sound(Pooled p) {
        if (p.wire.isRetired() || p.wire.txStatus() != 'I') {
            return false;
        }
        if (System.nanoTime() - p.expires >= 0) {
            p.wire.retire();
            loop.queueMicrotask(() -> closeIfDrained(p)); // not now: callers are iterating over conns
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Leases

    /** @return a connection for the caller alone, or {@link OverloadException} past the limits */
    public Promise<Lease> acquire() {
        Promise<Lease> result = loop.promise();
        if (closed) {
            result.reject(new PgException(PgException.CONNECTION_FAILURE, "the PostgreSQL client is closed", null));
            return result;
        }
        startSweeper();
        Pooled p = pickIdle();
        if (p != null) {
            stats.acquired(0);
            result.resolve(lease(p));
        } else {
            enqueue(new Waiter(null, result));
        }
        return result;
    }

    private Pooled pickIdle() {
        for (Pooled p : conns) {
            if (p.idle() && p.reservedFor == null && !p.releasing && sound(p)) {
                return p;
            }
        }
        return null;
    }

    private Lease lease(Pooled p) {
        p.leased = true;
        p.reservedFor = null;
        publish();
        return new Lease(this, p);
    }

    /** Takes back a leased connection: rolls back an open transaction first, if need be. */
    void release(Pooled p) {
        if (!p.leased) {
            return;
        }
        p.releasing = true;
        settleRelease(p);
    }

    private void settleRelease(Pooled p) {
        if (p.wire.isClosed()) {
            return;
        }
        if (p.wire.inflight() > 0) {
            return; // commandDone comes back here
        }
        if (p.wire.txStatus() != 'I' && !p.wire.isRetired()) {
            if (p.rollbackSent) {
                p.wire.destroy(new PgException(PgException.CONNECTION_FAILURE, "ROLLBACK left the session in a transaction", null));
                return;
            }
            p.rollbackSent = true;
            p.wire.submit(new SimpleQuery("ROLLBACK", null));
            return;
        }
        p.leased = false;
        p.releasing = false;
        p.rollbackSent = false;
        p.idleSince = System.nanoTime();
        if (!closeIfDrained(p)) {
            pump();
        }
        publish();
    }

    // ------------------------------------------------------------------------------------------
    // Waiting

    private void enqueue(Waiter w) {
        if (waiting() >= options.maxWaiters()) {
            overload(w, "the PostgreSQL pool's wait queue is full (max-waiters " + options.maxWaiters()
                    + " per loop, max-size " + options.maxSize() + ")");
            return;
        }
        ArrayDeque<Waiter> queue = w.lease != null ? leaseWaiters : sharedWaiters;
        queue.addLast(w);
        Duration limit = options.acquireTimeout();
        w.deadline = loop.setTimeout(limit, () -> {
            if (queue.remove(w)) {
                unreserve(w);
                overload(w, "no PostgreSQL connection within " + limit.toMillis() + " ms (acquire-timeout; max-size "
                        + options.maxSize() + " per loop, " + waiting() + " still waiting)");
                publish();
            }
        });
        if (canGrow() && connecting < waiting()) {
            grow();
        } else if (w.lease != null) {
            reserveFor(w);
        }
        publish();
    }

    private void overload(Waiter w, String why) {
        stats.overloaded.increment();
        OverloadException e = new OverloadException(why);
        if (w.lease != null) {
            w.lease.reject(e);
        } else {
            w.command.fail(e);
        }
    }

    /** Keeps new shared work off the least loaded connection so it drains for a waiting lease. */
    private void reserveFor(Waiter w) {
        Pooled best = null;
        for (Pooled p : conns) {
            if (!p.leased && p.reservedFor == null && !p.wire.isRetired()
                    && (best == null || p.wire.inflight() < best.wire.inflight())) {
                best = p;
            }
        }
        if (best != null) {
            best.reservedFor = w;
        }
    }

    private void unreserve(Waiter w) {
        for (Pooled p : conns) {
            if (p.reservedFor == w) {
                p.reservedFor = null;
            }
        }
    }

    /**
     * Serves the waiters that can be served now, oldest first. Leases (few) are all looked at, each
     * may have a connection draining for it; shared statements are served from the head only, since
     * when the oldest cannot be served none behind it can: O(served), not O(waiting).
     */
    private void pump() {
        if (!leaseWaiters.isEmpty()) {
            Iterator<Waiter> it = leaseWaiters.iterator();
            while (it.hasNext()) {
                Waiter w = it.next();
                Pooled p = reservedOrIdle(w);
                if (p != null) {
                    it.remove();
                    w.deadline.cancel();
                    stats.acquired(System.nanoTime() - w.since);
                    w.lease.resolve(lease(p));
                }
            }
        }
        Waiter w;
        while ((w = sharedWaiters.peekFirst()) != null) {
            Pooled p = pickShared();
            if (p == null || (p.wire.inflight() > 0 && canGrow())) {
                break;
            }
            sharedWaiters.pollFirst();
            w.deadline.cancel();
            stats.acquired(System.nanoTime() - w.since);
            p.wire.submit(w.command);
        }
        int waiting = waiting();
        if (waiting > 0 && canGrow() && connecting < waiting) {
            grow();
        }
        publish();
    }

    private int waiting() {
        return sharedWaiters.size() + leaseWaiters.size();
    }

    private Pooled reservedOrIdle(Waiter w) {
        for (Pooled p : conns) {
            if (p.reservedFor == w) {
                if (p.wire.inflight() == 0 && sound(p)) {
                    return p;
                }
                if (p.wire.isRetired()) {
                    p.reservedFor = null;
                }
                return null;
            }
        }
        Pooled p = pickIdle();
        if (p == null && !canGrow()) {
            reserveFor(w);
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------
    // Growing and shrinking

    /**
     * Whether another connection may be opened: below max size and, after a failed connect, not
     * within the backoff (unless no connection is open at all: then trying is the only way to serve).
     */
    private boolean canGrow() {
        return !closed && conns.size() + connecting < options.maxSize()
                && (conns.isEmpty() || System.nanoTime() - growBlockedUntil >= 0);
    }

    private void grow() {
        connecting++;
        publish();
        Dialer.connect(loop, options, secrets).whenComplete((wire, err) -> {
            connecting--;
            if (err != null) {
                connectFailed(err);
                return;
            }
            if (closed) {
                wire.close();
                return;
            }
            long life = options.maxLifetime().toNanos();
            long jitter = ThreadLocalRandom.current().nextLong(life / 10 + 1);
            Pooled p = new Pooled(wire, System.nanoTime() + life - jitter);
            wire.onCommandDone(() -> commandDone(p));
            wire.onClosed(w -> closedConn(p));
            conns.add(p);
            stats.created.increment();
            pump();
        });
    }

    /** With no connection open or opening, nobody can serve the waiters: fail them now, not at their deadline. */
    private void connectFailed(Throwable err) {
        LOG.log(System.Logger.Level.DEBUG, "PostgreSQL connect failed: " + err.getMessage());
        growBlockedUntil = System.nanoTime() + GROW_BACKOFF_NANOS;
        if (conns.isEmpty()) {
            // Nothing open can serve the waiters: fail them now rather than at their deadline (and
            // do not retry in a loop: the next request tries again).
            failWaiters(err);
        } else {
            pump();
        }
        publish();
    }

    private void commandDone(Pooled p) {
        if (p.releasing) {
            settleRelease(p);
            return;
        }
        if (p.wire.inflight() == 0) {
            p.idleSince = System.nanoTime();
            if (!p.leased && closeIfDrained(p)) {
                return;
            }
        }
        if (waiting() > 0) {
            pump();
        } else {
            publish();
        }
    }

    private void failWaiters(Throwable err) {
        for (ArrayDeque<Waiter> q : List.of(leaseWaiters, sharedWaiters)) {
            Waiter w;
            while ((w = q.pollFirst()) != null) {
                w.deadline.cancel();
                if (w.lease != null) {
                    w.lease.reject(err);
                } else {
                    w.command.fail(err);
                }
            }
        }
    }

    private boolean closeIfDrained(Pooled p) {
        if (p.wire.isRetired() && !p.leased && p.wire.inflight() == 0) {
            p.wire.close();
            return true;
        }
        return false;
    }

    private void closedConn(Pooled p) {
        conns.remove(p);
        stats.closed.increment();
        if (closed && conns.isEmpty() && closedPromise != null) {
            closedPromise.resolve(null);
        }
        if (waiting() > 0) {
            pump();
        }
        publish();
    }

    private void startSweeper() {
        if (sweeper != null) {
            return;
        }
        long period = Math.min(options.idleTimeout().toMillis(), options.maxLifetime().toMillis()) / 4;
        sweeper = loop.setInterval(Duration.ofMillis(Math.max(100, Math.min(period, 30_000))), this::sweep);
    }

    private void sweep() {
        long now = System.nanoTime();
        long idleLimit = options.idleTimeout().toNanos();
        for (Pooled p : conns.toArray(new Pooled[0])) {
            if (now - p.expires >= 0) {
                p.wire.retire();
            }
            if (p.idle() && p.reservedFor == null && now - p.idleSince >= idleLimit) {
                p.wire.retire();
            }
            closeIfDrained(p);
        }
    }

    /**
     * Closes every connection once its work is done; waiters fail.
     *
     * @return settled when every connection is closed
     */
    public Promise<Void> close() {
        if (closedPromise != null) {
            return closedPromise;
        }
        closed = true;
        closedPromise = loop.promise();
        if (sweeper != null) {
            sweeper.cancel();
        }
        failWaiters(new PgException(PgException.CONNECTION_FAILURE, "the PostgreSQL client was closed", null));
        for (Pooled p : conns.toArray(new Pooled[0])) {
            p.wire.retire();
            closeIfDrained(p);
        }
        if (conns.isEmpty()) {
            closedPromise.resolve(null);
        }
        publish();
        return closedPromise;
    }

    /** Brings the shared gauges up to date with this loop's share. */
    private void publish() {
        int idle = 0;
        for (Pooled p : conns) {
            if (p.idle()) {
                idle++;
            }
        }
        gauges.update(conns.size(), idle, waiting());
    }

    /** @return the command settling {@code promise} and its connection, for cancellation; null if none */
    Object[] find(Object promise) {
        for (Pooled p : conns) {
            Command c = p.wire.commandOf(promise);
            if (c != null) {
                return new Object[] {p.wire, c};
            }
        }
        for (Iterator<Waiter> it = sharedWaiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.command != null && w.command.promise() == promise) {
                it.remove();
                w.deadline.cancel();
                return new Object[] {null, w.command};
            }
        }
        return null;
    }

    /** @return open connections (tests) */
    public int size() {
        return conns.size();
    }
}
