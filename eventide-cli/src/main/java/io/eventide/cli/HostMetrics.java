package io.eventide.cli;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.fs.FilePool;
import io.eventide.http.HttpServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Prometheus metrics of a hosted server, exposed at {@code /metrics} in the text format by the
 * Prometheus Java client: loop lag (a summary with p50 and p99, and the max, per loop), busy ratio,
 * queued tasks, connections (open, accepted, refused at accept, shed by admission control),
 * responses by status class, request latency histogram by method and route, bytes in and out,
 * worker queue depth and rejections, file-pool queue depth, activity and rejections, watchdog
 * reports, and the client's standard JVM metrics (heap, GC, threads). The output passes
 * {@code promtool check metrics}.
 *
 * <p>Label values are bounded, so a client cannot blow up the series count: {@code route} is the
 * route pattern that matched ({@code /users/:id}, {@code none} when none did), {@code method} one of
 * the RFC 9110 methods or {@code other}.
 *
 * <p><b>Threading:</b> any thread; values are read from thread-safe counters at scrape time.
 */
public final class HostMetrics {
    private static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10};
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram latency;
    private final LongAdder shed = new LongAdder();

    HostMetrics(LoopGroup group, HttpServer server, LoopSampler sampler) {
        loopMetrics(group, sampler);
        serverMetrics(server);
        GaugeWithCallback.builder().name("eventide_worker_queue_depth").help("Offloaded jobs waiting for a worker")
                .callback(cb -> cb.call(group.workers().queued())).register(registry);
        CounterWithCallback.builder().name("eventide_worker_rejected").help("Offloads refused: worker queue full")
                .callback(cb -> cb.call(group.workers().rejected())).register(registry);
        FilePool files = FilePool.of(group);
        GaugeWithCallback.builder().name("eventide_fs_queue_depth").help("File-system calls waiting for a file-pool thread")
                .callback(cb -> cb.call(files.queued())).register(registry);
        GaugeWithCallback.builder().name("eventide_fs_active").help("File-system calls running on the file pool")
                .callback(cb -> cb.call(files.active())).register(registry);
        CounterWithCallback.builder().name("eventide_fs_rejected").help("File-system calls refused: file-pool queue full")
                .callback(cb -> cb.call(files.rejected())).register(registry);
        CounterWithCallback.builder().name("eventide_watchdog_reports").help("Callbacks that blocked a loop past the threshold")
                .callback(cb -> cb.call(group.watchdogReports())).register(registry);
        CounterWithCallback.builder().name("eventide_admission_shed").help("Requests answered 503 by admission control")
                .callback(cb -> cb.call(shed.sum())).register(registry);
        GaugeWithCallback.builder().name("eventide_buffers_outstanding")
                .help("Pooled buffers acquired and not yet released, across every loop")
                .callback(cb -> cb.call(BufferPool.outstandingTotal())).register(registry);
        CounterWithCallback.builder().name("eventide_buffers_leaked")
                .help("Pooled buffers still out when their loop terminated: never released (a leak)")
                .callback(cb -> cb.call(BufferPool.leakedTotal())).register(registry);
        latency = Histogram.builder().name("eventide_http_request_duration_seconds")
                .help("From request head to response end").classicOnly().classicUpperBounds(LATENCY_BUCKETS)
                .labelNames("method", "route").register(registry);
        JvmMetrics.builder().register(registry);
    }

    private void loopMetrics(LoopGroup group, LoopSampler sampler) {
        // A summary, not a gauge with a quantile label (promtool refuses that): count, sum, quantiles.
        SummaryWithCallback.builder().name("eventide_loop_lag_seconds").help("How late loops ran due timers")
                .labelNames("loop").callback(cb -> {
                    for (EventLoop l : group.loops()) {
                        cb.call(l.lag().count(), l.lag().sum() / 1e9, Quantiles.of(
                                new Quantile(0.5, l.lag().percentile(50) / 1e9),
                                new Quantile(0.99, l.lag().percentile(99) / 1e9)), l.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("eventide_loop_lag_max_seconds").help("The latest loop lag at its worst")
                .labelNames("loop").callback(cb -> {
                    for (EventLoop l : group.loops()) {
                        cb.call(l.lag().max() / 1e9, l.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("eventide_loop_busy_ratio").help("Share of time not idle in select")
                .labelNames("loop").callback(cb -> {
                    for (int i = 0; i < group.size(); i++) {
                        cb.call(sampler.busyRatio(i), group.loop(i).name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("eventide_loop_queued_tasks").help("Tasks waiting in each loop's queue")
                .labelNames("loop").callback(cb -> {
                    for (EventLoop l : group.loops()) {
                        cb.call(l.pendingTasks(), l.name());
                    }
                }).register(registry);
    }

    private void serverMetrics(HttpServer server) {
        GaugeWithCallback.builder().name("eventide_connections_open").help("Open HTTP connections")
                .callback(cb -> cb.call(server.connections())).register(registry);
        CounterWithCallback.builder().name("eventide_connections_accepted").help("Connections accepted")
                .callback(cb -> cb.call(server.accepted())).register(registry);
        CounterWithCallback.builder().name("eventide_connections_refused").help("Connections closed at accept: loop at its cap")
                .callback(cb -> cb.call(server.refused())).register(registry);
        CounterWithCallback.builder().name("eventide_tls_handshakes").help("TLS handshakes completed")
                .callback(cb -> cb.call(server.tlsStats().handshakes())).register(registry);
        CounterWithCallback.builder().name("eventide_tls_handshake_failures")
                .help("TLS handshakes that failed (untrusted or bad peer, no common protocol)")
                .callback(cb -> cb.call(server.tlsStats().failures())).register(registry);
        CounterWithCallback.builder().name("eventide_tls_handshake_timeouts").help("TLS handshakes not done within the timeout")
                .callback(cb -> cb.call(server.tlsStats().timeouts())).register(registry);
        CounterWithCallback.builder().name("eventide_tls_plaintext_rejected")
                .help("Plaintext (http://) requests sent to the HTTPS port, closed")
                .callback(cb -> cb.call(server.tlsStats().plaintext())).register(registry);
        CounterWithCallback.builder().name("eventide_http_responses").help("Responses by status class")
                .labelNames("code").callback(cb -> {
                    for (int c = 1; c <= 5; c++) {
                        cb.call(server.responses(c), c + "xx");
                    }
                }).register(registry);
        CounterWithCallback.builder().name("eventide_http_received_bytes").help("Request bytes received")
                .callback(cb -> cb.call(server.bytesIn())).register(registry);
        CounterWithCallback.builder().name("eventide_http_sent_bytes").help("Response bytes sent (excluding zero-copy files)")
                .callback(cb -> cb.call(server.bytesOut())).register(registry);
    }

    /**
     * @param method the request method
     * @param route the matched route pattern, or null
     * @param nanos head to response end
     */
    void observeLatency(String method, String route, long nanos) {
        latency.labelValues(METHODS.contains(method) ? method : "other", route == null ? "none" : route)
                .observe(nanos / 1e9);
    }

    void shed() {
        shed.increment();
    }

    /** @return requests shed by admission control so far */
    public long shedCount() {
        return shed.sum();
    }

    /** @return the registry, to add application metrics */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** @return the current metrics in the Prometheus text format */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @return the content type of {@link #scrape()} */
    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
