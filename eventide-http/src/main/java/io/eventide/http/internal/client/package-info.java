/**
 * The client's machinery: {@code ClientPools} and {@code OriginPool} (connections per loop and
 * origin), {@code Http1ClientConnection} (one exchange at a time over a core
 * {@link io.eventide.core.net.Connection}), {@code ResponseDecoder} (framing of a response),
 * {@code RequestBody} (framing of a request), and the implementations of the API's request and
 * response. Not an API: it may change in any release.
 */
package io.eventide.http.internal.client;
