/**
 * WebSocket internals: the incremental frame decoder and encoder, message assembly with UTF-8
 * validation, permessage-deflate, both handshakes, and the session state machine. Not API.
 */
package io.eventide.http.internal.websocket;
