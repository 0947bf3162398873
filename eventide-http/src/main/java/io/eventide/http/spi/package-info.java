/**
 * Service-provider interfaces of the HTTP module: what other modules plug in
 * ({@link io.eventide.http.spi.Warmup}).
 */
package io.eventide.http.spi;
