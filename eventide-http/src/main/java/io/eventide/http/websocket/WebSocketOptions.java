package io.eventide.http.websocket;

import io.eventide.http.OverflowPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Settings of WebSocket connections, server or client side. Start from {@link #defaults()} and
 * derive copies: {@code WebSocketOptions.defaults().subprotocols("chat").perMessageDeflate(true)}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>maxMessageBytes</td><td>{@value #DEFAULT_MAX_MESSAGE_BYTES}</td><td>largest message
 *       received, after inflation; past it: close 1009</td></tr>
 *   <tr><td>maxBufferedBytes</td><td>{@value #DEFAULT_MAX_BUFFERED_BYTES}</td><td>unsent bytes a
 *       socket may hold before the overflow policy applies</td></tr>
 *   <tr><td>overflowPolicy</td><td>CLOSE</td><td>drop new messages, or close 1008</td></tr>
 *   <tr><td>pingInterval</td><td>30 s</td><td>keep-alive ping period, ZERO for none</td></tr>
 *   <tr><td>pongTimeout</td><td>10 s</td><td>a ping unanswered this long drops the connection</td></tr>
 *   <tr><td>idleTimeout</td><td>none</td><td>close after this long without reads or writes</td></tr>
 *   <tr><td>closeTimeout</td><td>5 s</td><td>how long to wait for the peer's side of the close</td></tr>
 *   <tr><td>handshakeTimeout</td><td>10 s</td><td>client: connect plus handshake deadline</td></tr>
 *   <tr><td>subprotocols</td><td>none</td><td>server: supported, in preference order; client: offered</td></tr>
 *   <tr><td>originCheck</td><td>any origin</td><td>server: 403 when it returns false</td></tr>
 *   <tr><td>perMessageDeflate</td><td>false</td><td>negotiate RFC 7692 compression</td></tr>
 *   <tr><td>compressionThreshold</td><td>{@value #DEFAULT_COMPRESSION_THRESHOLD}</td><td>smaller
 *       messages go out uncompressed</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public final class WebSocketOptions {
    /** Default message limit, bytes. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    /** Default per-socket budget of unsent bytes. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
    /** Default size below which messages are not compressed. */
    public static final int DEFAULT_COMPRESSION_THRESHOLD = 256;

    private static final WebSocketOptions DEFAULTS = new WebSocketOptions();

    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
    private OverflowPolicy overflowPolicy = OverflowPolicy.CLOSE;
    private Duration pingInterval = Duration.ofSeconds(30);
    private Duration pongTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ZERO;
    private Duration closeTimeout = Duration.ofSeconds(5);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private List<String> subprotocols = List.of();
    private Predicate<String> originCheck = origin -> true;
    private boolean perMessageDeflate;
    private boolean serverNoContextTakeover;
    private boolean clientNoContextTakeover;
    private int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;
    private Map<String, String> headers = Map.of();

    private WebSocketOptions() {
    }

    private WebSocketOptions copy(Consumer<WebSocketOptions> change) {
        WebSocketOptions c = new WebSocketOptions();
        c.maxMessageBytes = maxMessageBytes;
        c.maxBufferedBytes = maxBufferedBytes;
        c.overflowPolicy = overflowPolicy;
        c.pingInterval = pingInterval;
        c.pongTimeout = pongTimeout;
        c.idleTimeout = idleTimeout;
        c.closeTimeout = closeTimeout;
        c.handshakeTimeout = handshakeTimeout;
        c.subprotocols = subprotocols;
        c.originCheck = originCheck;
        c.perMessageDeflate = perMessageDeflate;
        c.serverNoContextTakeover = serverNoContextTakeover;
        c.clientNoContextTakeover = clientNoContextTakeover;
        c.compressionThreshold = compressionThreshold;
        c.headers = headers;
        change.accept(c);
        return c;
    }

    /** @return the defaults */
    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    /** @param n largest message received, 1..2^31-2 bytes @return a copy with it */
    public WebSocketOptions maxMessageBytes(int n) {
        if (n < 1 || n == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxMessageBytes must be 1.." + (Integer.MAX_VALUE - 1) + ": " + n);
        }
        return copy(c -> c.maxMessageBytes = n);
    }

    /**
     * @param budget unsent bytes a socket may hold before {@code policy} applies
     * @param policy drop new messages or close
     * @return a copy with them
     */
    public WebSocketOptions maxBufferedBytes(long budget, OverflowPolicy policy) {
        if (budget < 1) {
            throw new IllegalArgumentException("maxBufferedBytes must be positive: " + budget);
        }
        Objects.requireNonNull(policy, "policy");
        return copy(c -> {
            c.maxBufferedBytes = budget;
            c.overflowPolicy = policy;
        });
    }

    /**
     * @param interval how often to ping an otherwise quiet peer, ZERO for never
     * @param timeout how long a ping may go unanswered before the connection is dropped
     * @return a copy with them
     */
    public WebSocketOptions keepAlive(Duration interval, Duration timeout) {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        return copy(c -> {
            c.pingInterval = interval;
            c.pongTimeout = timeout;
        });
    }

    /**
     * @param timeout close after this long without reads or writes (keep-alive pings are writes, so
     *     use it with a longer ping interval or none), ZERO for never
     * @return a copy with it
     */
    public WebSocketOptions idleTimeout(Duration timeout) {
        return copy(c -> c.idleTimeout = Objects.requireNonNull(timeout));
    }

    /** @param timeout how long to wait for the peer's side of the close handshake @return a copy */
    public WebSocketOptions closeTimeout(Duration timeout) {
        return copy(c -> c.closeTimeout = Objects.requireNonNull(timeout));
    }

    /** @param timeout client: deadline for connecting and the opening handshake @return a copy */
    public WebSocketOptions handshakeTimeout(Duration timeout) {
        return copy(c -> c.handshakeTimeout = Objects.requireNonNull(timeout));
    }

    /**
     * @param protocols server: the subprotocols it speaks, preferred first (it picks the first one
     *     the client also offered); client: the ones it offers
     * @return a copy with them
     */
    public WebSocketOptions subprotocols(String... protocols) {
        List<String> list = List.of(protocols);
        return copy(c -> c.subprotocols = list);
    }

    /** @param check server: given the Origin header (null if absent); false answers 403 @return a copy */
    public WebSocketOptions originCheck(Predicate<String> check) {
        return copy(c -> c.originCheck = Objects.requireNonNull(check));
    }

    /** @param on whether to negotiate permessage-deflate (RFC 7692) @return a copy with it */
    public WebSocketOptions perMessageDeflate(boolean on) {
        return copy(c -> c.perMessageDeflate = on);
    }

    /**
     * @param server the server resets its compressor after every message (less memory held
     *     between messages, worse ratio)
     * @param client the client does
     * @return a copy with them (server: imposed on the agreement; client: offered)
     */
    public WebSocketOptions noContextTakeover(boolean server, boolean client) {
        return copy(c -> {
            c.serverNoContextTakeover = server;
            c.clientNoContextTakeover = client;
        });
    }

    /** @param bytes messages smaller than this are sent uncompressed @return a copy with it */
    public WebSocketOptions compressionThreshold(int bytes) {
        return copy(c -> c.compressionThreshold = bytes);
    }

    /** @param extra client: request headers to add (Origin, Authorization, ...) @return a copy */
    public WebSocketOptions headers(Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>(extra);
        return copy(c -> c.headers = java.util.Collections.unmodifiableMap(m));
    }

    /** @return largest message received */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** @return the per-socket budget of unsent bytes */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /** @return what happens past the budget */
    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    /** @return keep-alive ping period, ZERO for none */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** @return how long a ping may go unanswered */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /** @return the idle timeout, ZERO for none */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** @return the close handshake timeout */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** @return the client's handshake deadline */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** @return the subprotocols */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** @return the origin check */
    public Predicate<String> originCheck() {
        return originCheck;
    }

    /** @return whether permessage-deflate is negotiated */
    public boolean perMessageDeflate() {
        return perMessageDeflate;
    }

    /** @return whether the server resets its compressor per message */
    public boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    /** @return whether the client resets its compressor per message */
    public boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /** @return the compression threshold */
    public int compressionThreshold() {
        return compressionThreshold;
    }

    /** @return the client's extra request headers */
    public Map<String, String> headers() {
        return headers;
    }
}
