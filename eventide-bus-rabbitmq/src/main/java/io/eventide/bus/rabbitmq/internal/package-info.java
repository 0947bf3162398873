/**
 * Internals of the RabbitMQ bridge: the publisher thread, consumer channels. Not API.
 */
package io.eventide.bus.rabbitmq.internal;
