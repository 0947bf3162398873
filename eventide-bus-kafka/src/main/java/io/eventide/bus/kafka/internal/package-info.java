/**
 * Internals of the Kafka bridge: the producer thread, poll threads, commit progress. Not API.
 */
package io.eventide.bus.kafka.internal;
