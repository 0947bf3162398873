/**
 * Hosting: {@link io.eventide.cli.Host} runs an app the way {@code node app.js} does: configuration
 * from flags, {@code EVENTIDE_*} variables and {@code eventide.properties}
 * ({@link io.eventide.cli.HostConfig}, every key in {@link io.eventide.cli.Settings}), one loop per
 * core, {@code /healthz}, {@code /readyz} and Prometheus {@code /metrics}
 * ({@link io.eventide.cli.HostMetrics}), admission control, logging through SLF4J with an optional
 * access log, and a graceful drain on SIGTERM. {@link io.eventide.Eventide#http()} is the short way
 * in; {@code docs/config.md} lists every key.
 *
 * <p><b>Threading:</b> configure a host from one thread before it starts; each type's javadoc says
 * which thread may call what after that.
 */
package io.eventide.cli;
