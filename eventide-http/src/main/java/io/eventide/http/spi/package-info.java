/**
 * Service-provider interfaces of the HTTP module: what other modules plug in
 * ({@link io.eventide.http.spi.Warmup}), and what a stream implements to take part in a topic's
 * encode-once fan-out ({@link io.eventide.http.spi.SharedWriter}).
 */
package io.eventide.http.spi;
