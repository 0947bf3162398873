package io.eventide.core.net;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of TCP servers, clients and their connections. Start from {@link #defaults()}:
 * {@code TcpOptions.defaults().idleTimeout(Duration.ofSeconds(30)).reusePort(true)}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>noDelay</td><td>true</td><td>TCP_NODELAY (Nagle off)</td></tr>
 *   <tr><td>highWatermark</td><td>{@value #DEFAULT_HIGH_WATERMARK}</td><td>queued bytes at which
 *       {@code write} returns false</td></tr>
 *   <tr><td>lowWatermark</td><td>{@value #DEFAULT_LOW_WATERMARK}</td><td>queued bytes at or below
 *       which {@code drain} fires</td></tr>
 *   <tr><td>idleTimeout</td><td>none</td><td>close after this long without reads or writes</td></tr>
 *   <tr><td>allowHalfOpen</td><td>false</td><td>keep writing after the peer's FIN</td></tr>
 *   <tr><td>reusePort</td><td>false</td><td>one SO_REUSEPORT listener per loop instead of one
 *       acceptor dealing connections round-robin</td></tr>
 *   <tr><td>backlog</td><td>{@value #DEFAULT_BACKLOG}</td><td>accept queue length</td></tr>
 *   <tr><td>maxConnectionsPerLoop</td><td>{@value #DEFAULT_MAX_CONNECTIONS_PER_LOOP}</td><td>past it,
 *       new connections are closed at once and counted as rejected</td></tr>
 *   <tr><td>connectTimeout</td><td>10 s</td><td>client connect deadline</td></tr>
 * </table>
 *
 * @param noDelay TCP_NODELAY
 * @param keepAlive SO_KEEPALIVE
 * @param highWatermark queued bytes at which {@code write} starts returning false
 * @param lowWatermark queued bytes at or below which {@code drain} fires
 * @param idleTimeout idle limit, {@link Duration#ZERO} for none
 * @param allowHalfOpen whether to keep our side open after the peer's FIN
 * @param reusePort one SO_REUSEPORT listener per loop
 * @param backlog accept queue length
 * @param maxConnectionsPerLoop per-loop connection cap
 * @param connectTimeout client connect deadline
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record TcpOptions(boolean noDelay, boolean keepAlive, int highWatermark, int lowWatermark,
        Duration idleTimeout, boolean allowHalfOpen, boolean reusePort, int backlog, int maxConnectionsPerLoop,
        Duration connectTimeout) {

    /** Default high watermark, bytes. */
    public static final int DEFAULT_HIGH_WATERMARK = 64 * 1024;
    /** Default low watermark, bytes. */
    public static final int DEFAULT_LOW_WATERMARK = 16 * 1024;
    /** Default accept backlog. */
    public static final int DEFAULT_BACKLOG = 1024;
    /** Default per-loop connection cap. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_LOOP = 100_000;

    /** Validates the settings. */
    public TcpOptions {
        if (lowWatermark < 0 || highWatermark < lowWatermark) {
            throw new IllegalArgumentException("need 0 <= lowWatermark <= highWatermark, got " + lowWatermark
                    + " and " + highWatermark);
        }
        if (backlog < 1 || maxConnectionsPerLoop < 1) {
            throw new IllegalArgumentException("backlog and maxConnectionsPerLoop must be >= 1");
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** @return the defaults */
    public static TcpOptions defaults() {
        return new TcpOptions(true, false, DEFAULT_HIGH_WATERMARK, DEFAULT_LOW_WATERMARK, Duration.ZERO, false,
                false, DEFAULT_BACKLOG, DEFAULT_MAX_CONNECTIONS_PER_LOOP, Duration.ofSeconds(10));
    }

    /** @param high high watermark @param low low watermark @return a copy with them */
    public TcpOptions watermarks(int high, int low) {
        return new TcpOptions(noDelay, keepAlive, high, low, idleTimeout, allowHalfOpen, reusePort, backlog,
                maxConnectionsPerLoop, connectTimeout);
    }

    /** @param timeout idle timeout, ZERO for none @return a copy with it */
    public TcpOptions idleTimeout(Duration timeout) {
        return new TcpOptions(noDelay, keepAlive, highWatermark, lowWatermark, timeout, allowHalfOpen, reusePort,
                backlog, maxConnectionsPerLoop, connectTimeout);
    }

    /** @param allow whether to allow half-open connections @return a copy with it */
    public TcpOptions allowHalfOpen(boolean allow) {
        return new TcpOptions(noDelay, keepAlive, highWatermark, lowWatermark, idleTimeout, allow, reusePort,
                backlog, maxConnectionsPerLoop, connectTimeout);
    }

    /** @param reuse whether to use one SO_REUSEPORT listener per loop @return a copy with it */
    public TcpOptions reusePort(boolean reuse) {
        return new TcpOptions(noDelay, keepAlive, highWatermark, lowWatermark, idleTimeout, allowHalfOpen, reuse,
                backlog, maxConnectionsPerLoop, connectTimeout);
    }

    /** @param n accept backlog @return a copy with it */
    public TcpOptions backlog(int n) {
        return new TcpOptions(noDelay, keepAlive, highWatermark, lowWatermark, idleTimeout, allowHalfOpen,
                reusePort, n, maxConnectionsPerLoop, connectTimeout);
    }

    /** @param n per-loop connection cap @return a copy with it */
    public TcpOptions maxConnectionsPerLoop(int n) {
        return new TcpOptions(noDelay, keepAlive, highWatermark, lowWatermark, idleTimeout, allowHalfOpen,
                reusePort, backlog, n, connectTimeout);
    }

    /** @param timeout connect deadline @return a copy with it */
    public TcpOptions connectTimeout(Duration timeout) {
        return new TcpOptions(noDelay, keepAlive, highWatermark, lowWatermark, idleTimeout, allowHalfOpen,
                reusePort, backlog, maxConnectionsPerLoop, timeout);
    }

    /** @param on TCP_NODELAY @return a copy with it */
    public TcpOptions noDelay(boolean on) {
        return new TcpOptions(on, keepAlive, highWatermark, lowWatermark, idleTimeout, allowHalfOpen, reusePort,
                backlog, maxConnectionsPerLoop, connectTimeout);
    }
}
