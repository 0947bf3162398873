/**
 * A non-blocking HTTP/1.1 client with a keep-alive connection pool per loop and origin:
 * {@link io.eventide.http.client.HttpClient} makes {@link io.eventide.http.client.ClientRequest}s
 * and delivers {@link io.eventide.http.client.ClientResponse}s as promises on the caller's loop,
 * with streamed bodies in both directions. Plain {@code http://} only (no TLS).
 */
package io.eventide.http.client;
