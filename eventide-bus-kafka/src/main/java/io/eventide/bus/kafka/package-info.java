/**
 * The event bus over Apache Kafka: {@link io.eventide.bus.kafka.KafkaTransport}.
 */
package io.eventide.bus.kafka;
