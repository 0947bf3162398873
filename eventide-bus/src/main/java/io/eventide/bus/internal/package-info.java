/**
 * Internals of the local bus: address registrations and local deliveries. Not API.
 */
package io.eventide.bus.internal;
