/**
 * The event bus over NATS JetStream: {@link io.eventide.bus.nats.NatsTransport}.
 */
package io.eventide.bus.nats;
