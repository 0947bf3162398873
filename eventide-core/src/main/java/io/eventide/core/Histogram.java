package io.eventide.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A log-linear histogram of non-negative long values (nanoseconds, bytes, ...): eight sub-buckets
 * per power of two, so any recorded value is reported within 12.5% of itself, over the full
 * {@code long} range, in a fixed 4 KiB of memory. Used for loop lag and request latency.
 *
 * <pre>
 *  value:   0..7 | 8..15 (step 1) | 16..31 (step 2) | 32..63 (step 4) | ... 2^62.. (step 2^59)
 *  bucket:  0..7 |     8..15      |     16..23      |     24..31      | ...
 * </pre>
 *
 * <p><b>Threading:</b> any thread. {@link #record} is lock-free and may be called concurrently by
 * several loops; readers see a recent, possibly slightly torn (count vs. buckets) view.
 */
public final class Histogram {
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = SUB + (63 - SUB_BITS) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    /** Creates an empty histogram. */
    public Histogram() {
    }

    /**
     * Records one value. Negative values are recorded as 0.
     *
     * @param value the value, e.g. a duration in nanoseconds
     */
    public void record(long value) {
        long v = Math.max(0, value);
        counts.incrementAndGet(index(v));
        total.incrementAndGet();
        sum.addAndGet(v);
        long m;
        while (v > (m = max.get()) && !max.compareAndSet(m, v)) {
            Thread.onSpinWait();
        }
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int shift = exp - SUB_BITS;
        return SUB + shift * SUB + (int) ((v >>> shift) & (SUB - 1));
    }

    /** Highest value that falls into bucket {@code i}. */
    static long upperBound(int i) {
        if (i < SUB) {
            return i;
        }
        int shift = (i - SUB) / SUB;
        long sub = (i - SUB) % SUB;
        long lower = (SUB + sub) << shift;
        return lower + (1L << shift) - 1;
    }

    /** @return how many values were recorded */
    public long count() {
        return total.get();
    }

    /** @return the largest value recorded, 0 if none */
    public long max() {
        return max.get();
    }

    /** @return the mean of the recorded values, 0 if none */
    public double mean() {
        long n = total.get();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /** @return the sum of the recorded values */
    public long sum() {
        return sum.get();
    }

    /**
     * @param percentile between 0 and 100, e.g. 99.9
     * @return the value at or below which {@code percentile}% of values fall (bucket upper bound,
     *     capped at {@link #max()}), or 0 when empty
     */
    public long percentile(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be within 0..100: " + percentile);
        }
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), max.get());
            }
        }
        return max.get();
    }

    /**
     * Number of recorded values less than or equal to {@code bound} (bucket resolution), for
     * cumulative exporters such as Prometheus.
     *
     * @param bound inclusive upper bound
     * @return the cumulative count
     */
    public long countAtOrBelow(long bound) {
        long seen = 0;
        for (int i = 0; i < BUCKETS && upperBound(i) <= bound; i++) {
            seen += counts.get(i);
        }
        return seen;
    }

    /** Forgets every recorded value. Concurrent records may survive partially. */
    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        total.set(0);
        sum.set(0);
        max.set(0);
    }

    @Override
    public String toString() {
        return String.format("count=%d p50=%dus p99=%dus p99.9=%dus max=%dus", count(),
                TimeUnit.NANOSECONDS.toMicros(percentile(50)), TimeUnit.NANOSECONDS.toMicros(percentile(99)),
                TimeUnit.NANOSECONDS.toMicros(percentile(99.9)), TimeUnit.NANOSECONDS.toMicros(max()));
    }
}
