package io.eventide.http;

import io.eventide.core.net.TcpOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link HttpServer}. Every limit has a default and a knob.
 *
 * <table>
 *   <caption>Limits and timeouts</caption>
 *   <tr><th>setting</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>maxRequestLineBytes</td><td>8,192</td><td>414</td></tr>
 *   <tr><td>maxHeaderBytes (whole head)</td><td>16,384</td><td>431</td></tr>
 *   <tr><td>maxHeaderCount</td><td>100</td><td>431</td></tr>
 *   <tr><td>maxBodyBytes (per request, streamed or aggregated; a handler may raise it with
 *       {@link HttpRequest#maxBodyBytes(long)})</td><td>{@value #DEFAULT_MAX_BODY_BYTES}</td><td>413</td></tr>
 *   <tr><td>headerTimeout: first byte of a request to the end of its head (slowloris)</td><td>10 s</td>
 *       <td>408, close</td></tr>
 *   <tr><td>keepAliveTimeout: idle time between requests</td><td>5 s</td><td>close</td></tr>
 *   <tr><td>minBodyRate: bytes/s a body must sustain, averaged over {@code bodyRateWindow}</td>
 *       <td>1,024 B/s over 10 s</td><td>408, close</td></tr>
 *   <tr><td>sweepInterval: how often each loop checks these deadlines</td><td>1 s</td><td></td></tr>
 * </table>
 *
 * @param tcp socket settings
 * @param maxRequestLineBytes request-line limit
 * @param maxHeaderBytes head limit
 * @param maxHeaderCount header field count limit
 * @param maxBodyBytes default body limit
 * @param headerTimeout head deadline
 * @param keepAliveTimeout idle deadline between requests
 * @param minBodyRate minimum body bytes per second, 0 to disable
 * @param bodyRateWindow window over which the body rate is averaged
 * @param sweepInterval deadline check period
 * @param serverName value of the {@code Server} header, or null for none
 * @param gzip compress eligible responses when the client accepts gzip
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record HttpOptions(TcpOptions tcp, int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount,
        long maxBodyBytes, Duration headerTimeout, Duration keepAliveTimeout, long minBodyRate,
        Duration bodyRateWindow, Duration sweepInterval, String serverName, boolean gzip) {

    /** Default per-request body limit: 64 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

    /** Validates the settings. */
    public HttpOptions {
        Objects.requireNonNull(tcp, "tcp");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        Objects.requireNonNull(bodyRateWindow, "bodyRateWindow");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (maxBodyBytes < 0 || minBodyRate < 0) {
            throw new IllegalArgumentException("maxBodyBytes and minBodyRate must be >= 0");
        }
    }

    /** @return the defaults */
    public static HttpOptions defaults() {
        return new HttpOptions(TcpOptions.defaults(), 8192, 16384, 100, DEFAULT_MAX_BODY_BYTES,
                Duration.ofSeconds(10), Duration.ofSeconds(5), 1024, Duration.ofSeconds(10), Duration.ofSeconds(1),
                "eventide", false);
    }

    /** @param t socket settings @return a copy with them */
    public HttpOptions tcp(TcpOptions t) {
        return new HttpOptions(t, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, headerTimeout,
                keepAliveTimeout, minBodyRate, bodyRateWindow, sweepInterval, serverName, gzip);
    }

    /**
     * @param requestLine max request-line bytes
     * @param headerBytes max head bytes
     * @param headerCount max header fields
     * @return a copy with these limits
     */
    public HttpOptions headLimits(int requestLine, int headerBytes, int headerCount) {
        return new HttpOptions(tcp, requestLine, headerBytes, headerCount, maxBodyBytes, headerTimeout,
                keepAliveTimeout, minBodyRate, bodyRateWindow, sweepInterval, serverName, gzip);
    }

    /** @param n default body limit @return a copy with it */
    public HttpOptions maxBodyBytes(long n) {
        return new HttpOptions(tcp, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, n, headerTimeout,
                keepAliveTimeout, minBodyRate, bodyRateWindow, sweepInterval, serverName, gzip);
    }

    /**
     * @param header head deadline
     * @param keepAlive idle deadline
     * @return a copy with them
     */
    public HttpOptions timeouts(Duration header, Duration keepAlive) {
        return new HttpOptions(tcp, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, header,
                keepAlive, minBodyRate, bodyRateWindow, sweepInterval, serverName, gzip);
    }

    /**
     * @param bytesPerSecond minimum body rate, 0 to disable
     * @param window averaging window
     * @return a copy with them
     */
    public HttpOptions minBodyRate(long bytesPerSecond, Duration window) {
        return new HttpOptions(tcp, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                headerTimeout, keepAliveTimeout, bytesPerSecond, window, sweepInterval, serverName, gzip);
    }

    /** @param interval deadline check period @return a copy with it */
    public HttpOptions sweepInterval(Duration interval) {
        return new HttpOptions(tcp, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                headerTimeout, keepAliveTimeout, minBodyRate, bodyRateWindow, interval, serverName, gzip);
    }

    /** @param on compress eligible responses @return a copy with it */
    public HttpOptions gzip(boolean on) {
        return new HttpOptions(tcp, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                headerTimeout, keepAliveTimeout, minBodyRate, bodyRateWindow, sweepInterval, serverName, on);
    }

    /** @param name Server header value, null for none @return a copy with it */
    public HttpOptions serverName(String name) {
        return new HttpOptions(tcp, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                headerTimeout, keepAliveTimeout, minBodyRate, bodyRateWindow, sweepInterval, name, gzip);
    }
}
