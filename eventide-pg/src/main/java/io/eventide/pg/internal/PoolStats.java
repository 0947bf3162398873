package io.eventide.pg.internal;

import io.eventide.core.Histogram;
import io.eventide.pg.PgMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link PgMetrics}, shared by a client's loop pools. Thread-safe. *
 * <p><b>Threading:</b> any thread (atomic counters).
 */
public final class PoolStats implements PgMetrics {
    final AtomicInteger size = new AtomicInteger();
    final AtomicInteger idle = new AtomicInteger();
    final AtomicInteger waiters = new AtomicInteger();
    private final Histogram acquire = new Histogram();
    private final Histogram latency = new Histogram();
    final LongAdder created = new LongAdder();
    final LongAdder closed = new LongAdder();
    final LongAdder overloaded = new LongAdder();
    private final LongAdder queries = new LongAdder();
    private final LongAdder failures = new LongAdder();

    private final ServerMemory secrets;

    /** @param secrets the client's SCRAM cache, for {@link #keyDerivations()} */
    public PoolStats(ServerMemory secrets) {
        this.secrets = secrets;
    }

    @Override
    public long keyDerivations() {
        return secrets.computed();
    }

    /** @return a loop pool's share of the gauges */
    Share share() {
        return new Share();
    }

    /** What one loop pool last added to the gauges; it publishes only what changed. Loop-confined. */
    final class Share {
        private int size;
        private int idle;
        private int waiting;

        void update(int newSize, int newIdle, int newWaiting) {
            if (newSize != size) {
                PoolStats.this.size.addAndGet(newSize - size);
                size = newSize;
            }
            if (newIdle != idle) {
                PoolStats.this.idle.addAndGet(newIdle - idle);
                idle = newIdle;
            }
            if (newWaiting != waiting) {
                waiters.addAndGet(newWaiting - waiting);
                waiting = newWaiting;
            }
        }
    }

    void queryDone(long nanos, boolean failed) {
        latency.record(nanos);
        queries.increment();
        if (failed) {
            failures.increment();
        }
    }

    void acquired(long nanos) {
        acquire.record(nanos);
    }

    @Override
    public int size() {
        return size.get();
    }

    @Override
    public int idle() {
        return idle.get();
    }

    @Override
    public int waiters() {
        return waiters.get();
    }

    @Override
    public Histogram acquireTime() {
        return acquire;
    }

    @Override
    public Histogram queryLatency() {
        return latency;
    }

    @Override
    public long created() {
        return created.sum();
    }

    @Override
    public long closed() {
        return closed.sum();
    }

    @Override
    public long overloaded() {
        return overloaded.sum();
    }

    @Override
    public long queries() {
        return queries.sum();
    }

    @Override
    public long failures() {
        return failures.sum();
    }
}
