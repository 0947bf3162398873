/**
 * The HTTP/1.1 server engine behind {@code io.eventide.http.HttpServer}: per connection a
 * {@code RequestDecoder} (bytes to request events, over the codec), an {@code Exchange} per
 * request (the state the facades {@code HttpRequest} and {@code HttpResponse} stand for), a
 * {@code ResponseWriter} (responses to bytes, into the loop's scratch buffer) and
 * {@code Deadlines}; per loop a {@code ServerLoop}; per server a {@code ServerEngine} (listener,
 * counters, graceful close). The API side reaches in through {@code Dispatcher}. See
 * {@code docs/design/http.md}.
 */
package io.eventide.http.internal.server;
