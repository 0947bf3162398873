package io.eventide.http.websocket;

import io.eventide.core.EventLoop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One WebSocket connection (RFC 6455), server side ({@link WebSockets#handler}) or client side
 * ({@link WebSocketClient#connect}). Messages arrive whole: fragments are joined, text is checked
 * to be UTF-8, compressed messages (permessage-deflate, RFC 7692) are inflated, pings are answered.
 *
 * <pre>{@code
 * app.get("/ws/echo", WebSockets.handler(WebSocketOptions.defaults(), ws -> {
 *     ws.onText(ws::sendText);
 *     ws.onBinary(ws::sendBinary);
 *     ws.onClose((code, reason) -> log("closed " + code));
 * }));
 * }</pre>
 *
 * <p>Sending and backpressure: {@code send*} queue the message and return false once the
 * connection's write queue passed its high watermark; {@link #onDrain} says when it went down again.
 * A producer that ignores this is bounded by {@link WebSocketOptions#maxBufferedBytes()}: past it
 * the {@link io.eventide.http.OverflowPolicy} drops new messages (counted by {@link #dropped()}) or
 * closes the connection with 1008.
 *
 * <p>Closing: {@link #close(int, String)} starts the close handshake (§7.1.2); {@link #onClose}
 * runs once, when the TCP connection is gone, with the first that applies: the code of the peer's
 * close frame (1005 if it had none); the code we sent, when we closed or failed the connection
 * (1002, 1007, 1008, 1009, 1011) and the peer never answered; 1006 when the connection simply
 * ended (reset, idle timeout, unanswered keep-alive ping), with the cause as reason.
 *
 * <p><b>Threading:</b> loop-confined: call it on {@link #loop()}'s thread (checked); every callback
 * runs there. From elsewhere, use {@code loop().execute(...)}.
 */
public interface WebSocket {
    /** Normal closure. */
    int NORMAL_CLOSURE = 1000;
    /** The endpoint goes away (server shutdown, page navigation). */
    int GOING_AWAY = 1001;
    /** Protocol error. */
    int PROTOCOL_ERROR = 1002;
    /** A data type the endpoint cannot accept. */
    int UNSUPPORTED_DATA = 1003;
    /** Reported locally: the close frame had no code. */
    int NO_STATUS = 1005;
    /** Reported locally: the connection ended without a close frame. */
    int ABNORMAL_CLOSURE = 1006;
    /** A text message was not valid UTF-8 (or compressed data was corrupt). */
    int INVALID_PAYLOAD = 1007;
    /** A policy was violated (here: the slow-consumer budget). */
    int POLICY_VIOLATION = 1008;
    /** A message exceeded the size limit. */
    int MESSAGE_TOO_BIG = 1009;
    /** The server hit an unexpected condition (a handler threw). */
    int INTERNAL_ERROR = 1011;

    /** Receives the close code and reason. */
    @FunctionalInterface
    interface CloseHandler {
        /**
         * @param code the close code (see the constants of {@link WebSocket})
         * @param reason the reason, possibly empty
         */
        void closed(int code, String reason);
    }

    /** @param handler receives each text message @return this socket */
    WebSocket onText(Consumer<String> handler);

    /** @param handler receives each binary message, in a heap buffer it may keep @return this socket */
    WebSocket onBinary(Consumer<ByteBuffer> handler);

    /** @param handler called once when the connection is closed @return this socket */
    WebSocket onClose(CloseHandler handler);

    /** @param handler called when the write queue went below its low watermark @return this socket */
    WebSocket onDrain(Runnable handler);

    /**
     * @param text the message
     * @return false when the write queue is past its high watermark, or the message was dropped
     *     ({@link io.eventide.http.OverflowPolicy}), or the socket is no longer open
     */
    boolean sendText(String text);

    /**
     * @param data the message, from position to limit (consumed; the caller may reuse the buffer)
     * @return like {@link #sendText}
     */
    boolean sendBinary(ByteBuffer data);

    /** @param data the message @return like {@link #sendText} */
    boolean sendBinary(byte[] data);

    /**
     * Stops reading from the peer (backpressure, like Node's {@code socket.pause()} and ws's
     * {@code websocket.pause()}): no more messages arrive until {@link #resume()}, and the peer's
     * TCP window fills up, which slows it down. Keep-alive pings stop meanwhile, since their pongs
     * could not be read.
     */
    void pause();

    /** Reads again after {@link #pause()}. */
    void resume();

    /** Closes with 1000 and no reason. */
    void close();

    /**
     * Starts the close handshake; the TCP connection closes when the peer answers, or after
     * {@link WebSocketOptions#closeTimeout()}.
     *
     * @param code 1000..1003, 1007..1014 or 3000..4999
     * @param reason at most 123 bytes in UTF-8
     */
    void close(int code, String reason);

    /** @return whether messages can be sent (the close handshake has not started) */
    boolean isOpen();

    /** @return the loop this socket belongs to */
    EventLoop loop();

    /** @return the negotiated subprotocol, or null */
    String subprotocol();

    /** @return the negotiated extensions as a header value, empty if none */
    String extensions();

    /** @return the peer's address, or null once closed */
    InetSocketAddress remoteAddress();

    /** @return bytes queued for the peer and not yet written */
    long bufferedBytes();

    /** @return messages dropped by the {@link io.eventide.http.OverflowPolicy#DROP} policy */
    long dropped();
}
