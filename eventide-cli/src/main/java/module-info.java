/**
 * Hosting: configuration (the one reader of environment, files and system properties), health,
 * Prometheus metrics, admission control, signals and the graceful drain; the front door
 * {@code io.eventide.Eventide}.
 */
// The Prometheus client ships Automatic-Module-Name only; its registry is part of HostMetrics' API.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.eventide.cli {
    requires transitive io.eventide.http;
    requires org.slf4j;
    requires io.prometheus.metrics.core;
    requires transitive io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.instrumentation.jvm;
    requires jdk.unsupported; // sun.misc.Signal, for SIGTERM and SIGINT

    exports io.eventide;
    exports io.eventide.cli;
}
