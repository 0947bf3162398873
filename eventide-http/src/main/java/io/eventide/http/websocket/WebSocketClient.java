package io.eventide.http.websocket;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpClient;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.tls.ClientTls;
import io.eventide.http.internal.websocket.ClientHandshake;
import io.eventide.http.internal.websocket.ClientSessions;
import io.eventide.http.internal.websocket.WebSocketSession;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Opens WebSocket connections (RFC 6455 §4.1) from a loop: connects with
 * {@link TcpClient}, sends the upgrade request with a random key, checks the 101 answer, and then
 * speaks the same framing as the server side, masking every frame it sends.
 *
 * <pre>{@code
 * WebSocketClient.connect(loop, URI.create("ws://127.0.0.1:8080/ws/echo"), WebSocketOptions.defaults())
 *     .onSuccess(ws -> {
 *         ws.onText(text -> System.out.println("got " + text));
 *         ws.sendText("hello");
 *     });
 * }</pre>
 *
 * <p>Messages that arrive before the application set its first data handler ({@code onText} or
 * {@code onBinary}) are held, up to {@link WebSocketOptions#maxBufferedBytes()}, and delivered in
 * order right after the callback that sets it: set the handlers in the promise's callback.
 * {@code wss://} runs the same over TLS: the server's certificate is checked against
 * {@link ClientTls#defaults()} (the JDK's trusted CAs and the host name), or the
 * {@link ClientTls} given to {@link #connect(EventLoop, URI, WebSocketOptions, ClientTls)}. The
 * handshake fails the promise with a {@link WebSocketException} on a refusal or invalid answer, and
 * with a {@link io.eventide.core.DeadlineExceededException} after
 * {@link WebSocketOptions#handshakeTimeout()}.
 *
 * <p><b>Threading:</b> any thread; the socket belongs to {@code loop} and the promise completes
 * there.
 */
public final class WebSocketClient {
    private WebSocketClient() {
    }

    /**
     * @param loop the loop that will own the socket
     * @param uri a {@code ws://host[:port]/path[?query]} URI
     * @param options client settings (subprotocols offered, compression, extra headers, limits)
     * @return the open socket, or the failure
     */
    public static Promise<WebSocket> connect(EventLoop loop, URI uri, WebSocketOptions options) {
        return connect(loop, uri, options, null);
    }

    /**
     * @param loop the loop that will own the socket
     * @param uri a {@code ws://} or {@code wss://host[:port]/path[?query]} URI
     * @param options client settings (subprotocols offered, compression, extra headers, limits)
     * @param tls for {@code wss://}: trust, host name check, client certificate; null for
     *     {@link ClientTls#defaults()}
     * @return the open socket, or the failure
     */
    public static Promise<WebSocket> connect(EventLoop loop, URI uri, WebSocketOptions options, ClientTls tls) {
        Objects.requireNonNull(options, "options");
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        if (!secure && !"ws".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected a ws:// or wss://host/... URI: " + uri);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        Promise<WebSocket> result = loop.promise();
        TcpOptions tcp = TcpOptions.defaults().connectTimeout(options.handshakeTimeout());
        Promise<Connection> connecting = secure
                ? TcpClient.connect(loop, uri.getHost(), port, tcp, tls != null ? tls : ClientTls.defaults())
                : TcpClient.connect(loop, uri.getHost(), port, tcp);
        connecting.whenComplete((conn, err) -> {
            if (err != null) {
                result.reject(err);
            } else {
                handshake(conn, uri, options, result);
            }
        });
        return result;
    }

    private static void handshake(Connection conn, URI uri, WebSocketOptions options, Promise<WebSocket> result) {
        ClientHandshake hs = new ClientHandshake(uri, options);
        Timer deadline = conn.loop().setTimeout(options.handshakeTimeout(), () -> {
            if (result.reject(new io.eventide.core.DeadlineExceededException("WebSocket handshake with " + uri
                    + " not done within handshake-timeout (" + options.handshakeTimeout().toMillis() + " ms)"))) {
                conn.destroy();
            }
        });
        conn.onClose(cause -> {
            deadline.cancel();
            result.reject(new WebSocketException("connection closed during the WebSocket handshake", -1));
        });
        conn.onData(buf -> {
            try {
                if (hs.feed(buf)) {
                    deadline.cancel();
                    opened(conn, hs, options, buf, result);
                }
            } catch (WebSocketException e) {
                deadline.cancel();
                result.reject(e);
                conn.destroy();
            }
        });
        conn.write(hs.request());
    }

    /** Hands the socket over; frames the server sent right behind its 101 are decoded at once. */
    private static void opened(Connection conn, ClientHandshake hs, WebSocketOptions options, ByteBuffer rest,
            Promise<WebSocket> result) {
        WebSocketSession ws = new WebSocketSession(conn, options, true, hs.subprotocol(), hs.deflate());
        ClientSessions.track(ws);
        result.resolve(ws); // its reactions run after this callback: frames in 'rest' are held till then
        conn.protocol(ws.protocol(null), rest);
    }
}
