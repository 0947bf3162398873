/**
 * The event bus: {@link io.eventide.bus.Bus} (publish, send, request/reply), {@link io.eventide.bus.Message}
 * (bytes or JSON with headers), consumers with a credit and a bounded queue
 * ({@link io.eventide.bus.ConsumerOptions}, {@link io.eventide.bus.Overflow}), and
 * {@link io.eventide.bus.WorkQueue} for load levelling.
 *
 * <p>Module layout: eventide-bus (this, no broker client) ← eventide-bus-rabbitmq, eventide-bus-kafka,
 * eventide-bus-nats (one bridge each) ; eventide-bus-http joins the bus to eventide-http's topics.
 */
package io.eventide.bus;
