package io.eventide.http.websocket;

import io.eventide.core.EventideException;
import io.eventide.http.Handler;
import io.eventide.http.HttpHeaders;
import io.eventide.http.HttpRequest;
import io.eventide.http.internal.websocket.ServerHandshake;
import io.eventide.http.internal.websocket.WebSocketSession;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Mounts a WebSocket endpoint on an {@link io.eventide.http.HttpServer} route: the returned
 * {@link Handler} validates the opening handshake (RFC 6455 §4.2; see the table in
 * {@code ServerHandshake}: 405, 400, 426 or 403 on a bad request), negotiates the subprotocol and
 * permessage-deflate, answers 101 and hands the connection to {@code onOpen}.
 *
 * <pre>{@code
 * WebSocketOptions opts = WebSocketOptions.defaults().subprotocols("chat.v1").perMessageDeflate(true);
 * app.get("/chat/:room", WebSockets.handler(opts, (req, ws) -> {
 *     String room = req.param("room");
 *     ws.onText(text -> rooms.publish(room, text));
 * }));
 * }</pre>
 *
 * <p>Set the socket's handlers inside {@code onOpen}: frames the client sent right behind its
 * handshake are delivered as soon as it returns. A graceful close of the loop group sends every
 * open socket a 1001 "server shutting down" close.
 *
 * <p><b>Threading:</b> any thread may build the handler; {@code onOpen} runs on the connection's
 * loop.
 */
public final class WebSockets {
    private WebSockets() {
    }

    /**
     * @param options settings
     * @param onOpen receives each new socket
     * @return a handler for a GET route
     */
    public static Handler handler(WebSocketOptions options, Consumer<WebSocket> onOpen) {
        Objects.requireNonNull(onOpen, "onOpen");
        return handler(options, (req, ws) -> onOpen.accept(ws));
    }

    /**
     * @param options settings
     * @param onOpen receives the upgrade request (path parameters, headers, attributes) and the
     *     new socket
     * @return a handler for a GET route
     */
    public static Handler handler(WebSocketOptions options, BiConsumer<HttpRequest, WebSocket> onOpen) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(onOpen, "onOpen");
        return (req, res) -> {
            ServerHandshake.Result hs = ServerHandshake.negotiate(
                    new ServerHandshake.Request(req.method(), req.version(), req.headers(), req.hasBody()), options);
            if (hs.status() != 101) {
                hs.headers().forEach(res::header);
                res.header(HttpHeaders.CONNECTION, "close"); // as Node's ws does on a failed handshake
                res.sendError(hs.status(), hs.message());
                return;
            }
            res.upgrade(hs.headers(), conn -> {
                WebSocketSession ws = new WebSocketSession(conn, options, false, hs.subprotocol(), hs.deflate());
                return ws.protocol(() -> {
                    try {
                        onOpen.accept(req, ws);
                    } catch (RuntimeException e) {
                        conn.loop().reportUncaught(new EventideException("WebSocket open handler threw", e));
                        ws.close(WebSocket.INTERNAL_ERROR, "internal error");
                    }
                });
            });
        };
    }
}
