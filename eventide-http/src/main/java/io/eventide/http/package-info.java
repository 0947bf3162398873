/**
 * HTTP/1.1 for event loops: {@link io.eventide.http.HttpServer} (router, hooks, streaming bodies with
 * backpressure, gzip, graceful close), {@link io.eventide.http.StaticFiles},
 * {@link io.eventide.http.Multipart} uploads; the client lives in {@code io.eventide.http.client},
 * WebSocket in {@code io.eventide.http.websocket}, Server-Sent Events in {@code io.eventide.http.sse}
 * and fan-out topics in {@code io.eventide.http.topic}. Internals (codec, client pools, files,
 * multipart, websocket framing) are in {@code io.eventide.http.internal.*} and are not API.
 */
package io.eventide.http;
