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
 * <p>In a hosted app, expose them in {@code /metrics} through the host's Prometheus registry:
 * <pre>{@code
 * PrometheusRegistry r = host.metrics().registry();
 * GaugeWithCallback.builder().name("eventide_pg_pool_size").help("Open PostgreSQL connections")
 *         .callback(cb -> cb.call(pg.metrics().size())).register(r);
 * GaugeWithCallback.builder().name("eventide_pg_pool_waiters").help("Requests waiting for a connection")
 *         .callback(cb -> cb.call(pg.metrics().waiters())).register(r);
 * GaugeWithCallback.builder().name("eventide_pg_query_seconds").help("Statement latency").labelNames("quantile")
 *         .callback(cb -> { cb.call(pg.metrics().queryLatency().percentile(50) / 1e9, "0.5");
 *                           cb.call(pg.metrics().queryLatency().percentile(99) / 1e9, "0.99"); }).register(r);
 * }</pre>
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
