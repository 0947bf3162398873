package io.eventide.pg;

import io.eventide.core.Histogram;

/**
 * What a {@link PgClient}'s pool is doing, summed over its loops: for {@code /metrics} (register
 * gauges that read these at scrape time) and for tests.
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><th>method</th><th>kind</th><th>meaning</th></tr>
 *   <tr><td>{@link #size()}</td><td>gauge</td><td>open connections (pooled, not the LISTEN one)</td></tr>
 *   <tr><td>{@link #idle()}</td><td>gauge</td><td>open connections with nothing in flight</td></tr>
 *   <tr><td>{@link #waiters()}</td><td>gauge</td><td>requests queued for a connection</td></tr>
 *   <tr><td>{@link #acquireTime()}</td><td>histogram, ns</td><td>wait for a connection, when there was one</td></tr>
 *   <tr><td>{@link #queryLatency()}</td><td>histogram, ns</td><td>from submit to result</td></tr>
 *   <tr><td>{@link #created()}, {@link #closed()}</td><td>counters</td><td>connections opened, closed</td></tr>
 *   <tr><td>{@link #overloaded()}</td><td>counter</td><td>requests refused with OverloadException</td></tr>
 *   <tr><td>{@link #queries()}, {@link #failures()}</td><td>counters</td><td>statements done, failed</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> any thread; values are read from atomic counters.
 */
public interface PgMetrics {
    /** @return open pooled connections */
    int size();

    /** @return open pooled connections with nothing in flight */
    int idle();

    /** @return requests waiting for a connection */
    int waiters();

    /** @return time spent waiting for a connection, in nanoseconds */
    Histogram acquireTime();

    /** @return statement latency, submit to result, in nanoseconds */
    Histogram queryLatency();

    /** @return connections opened so far */
    long created();

    /** @return connections closed so far */
    long closed();

    /** @return requests refused with OverloadException (queue full or acquire deadline passed) */
    long overloaded();

    /** @return statements completed */
    long queries();

    /** @return statements failed */
    long failures();

    /** @return SCRAM key derivations (PBKDF2) run; reconnects reuse the cached result */
    long keyDerivations();
}
