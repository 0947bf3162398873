package io.eventide.lab.driver;

import io.eventide.core.Histogram;

/**
 * A latency distribution reduced to the numbers the report prints, in milliseconds. Values carry
 * the histogram's resolution: each is within 12.5% of a recorded value.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param count how many requests
 * @param meanMs arithmetic mean
 * @param p50Ms median
 * @param p90Ms 90th percentile
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param maxMs largest
 */
public record LatencySummary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
        double maxMs) {

    /** No requests. */
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    /**
     * @param h a histogram of nanoseconds
     * @return its summary
     */
    public static LatencySummary of(Histogram h) {
        if (h.count() == 0) {
            return EMPTY;
        }
        return new LatencySummary(h.count(), h.mean() / 1e6, h.percentile(50) / 1e6, h.percentile(90) / 1e6,
                h.percentile(99) / 1e6, h.percentile(99.9) / 1e6, h.max() / 1e6);
    }
}
