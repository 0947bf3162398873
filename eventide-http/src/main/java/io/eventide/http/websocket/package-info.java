/**
 * WebSocket (RFC 6455) with permessage-deflate (RFC 7692), server and client: mount
 * {@link io.eventide.http.websocket.WebSockets#handler} on a GET route, or open a connection with
 * {@link io.eventide.http.websocket.WebSocketClient#connect}; both give a loop-confined
 * {@link io.eventide.http.websocket.WebSocket}. The framing, handshake and compression code lives in
 * {@code io.eventide.http.internal.websocket}.
 */
package io.eventide.http.websocket;
