/**
 * Eventide: the Node.js execution model for Java. {@link io.eventide.Eventide} is the front door
 * ({@code Eventide.http()}, {@code Eventide.start(app)}).
 *
 * <p>Modules: eventide-core ({@code io.eventide.core}: loops, promises, timers, workers, TCP, TLS,
 * files, DNS; JDK only), eventide-http ({@code io.eventide.http}: HTTP/1.1 server and client,
 * WebSocket, SSE, topics), eventide-json (Jackson), eventide-pg (PostgreSQL), eventide-bus and its
 * bridges (RabbitMQ, NATS, Kafka, HTTP), eventide-cli (this: hosting, configuration, metrics,
 * logging), eventide-cluster (the {@code eventide cluster} supervisor). Import
 * {@code io.eventide:eventide-bom} and depend on the modules you use.
 *
 * <p><b>Threading:</b> see {@link io.eventide.Eventide}.
 */
package io.eventide;
