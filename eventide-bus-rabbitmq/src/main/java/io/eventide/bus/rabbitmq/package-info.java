/**
 * The event bus over RabbitMQ: {@link io.eventide.bus.rabbitmq.RabbitTransport}.
 */
package io.eventide.bus.rabbitmq;
