/**
 * Internals of the NATS bridge: the connection, the publisher thread, pull consumers. Not API.
 */
package io.eventide.bus.nats.internal;
