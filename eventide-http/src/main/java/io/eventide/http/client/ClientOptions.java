package io.eventide.http.client;

import io.eventide.core.net.TcpOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link HttpClient}. Start from {@link #defaults()} and change what you need:
 * {@code ClientOptions.defaults().maxConnectionsPerOrigin(4).headTimeout(Duration.ofSeconds(2))}.
 *
 * <table>
 *   <caption>Pool, timeouts and limits</caption>
 *   <tr><th>setting</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>maxConnectionsPerOrigin: connections to one {@code host:port}, per loop</td>
 *       <td>{@value #DEFAULT_MAX_CONNECTIONS_PER_ORIGIN}</td><td>the request waits in the queue</td></tr>
 *   <tr><td>maxWaitQueue: requests waiting for a connection, per origin and loop</td>
 *       <td>{@value #DEFAULT_MAX_WAIT_QUEUE}</td><td>{@code OverloadException}</td></tr>
 *   <tr><td>keepAliveTimeout: how long an idle pooled connection is kept</td><td>4 s</td>
 *       <td>the client closes it</td></tr>
 *   <tr><td>connectTimeout: TCP connect</td><td>10 s</td><td>{@code DeadlineExceededException}</td></tr>
 *   <tr><td>headTimeout: end of the request to the response head</td><td>30 s</td>
 *       <td>{@code DeadlineExceededException}, connection closed</td></tr>
 *   <tr><td>idleTimeout: no byte read or written during an exchange (also: a body nobody reads)</td>
 *       <td>30 s</td><td>{@code DeadlineExceededException}, connection closed</td></tr>
 *   <tr><td>maxResponseBodyBytes: what {@code body()} aggregates</td>
 *       <td>{@value #DEFAULT_MAX_RESPONSE_BODY_BYTES}</td><td>{@code EventideException}, connection closed</td></tr>
 *   <tr><td>maxStatusLineBytes</td><td>{@value #DEFAULT_MAX_STATUS_LINE_BYTES}</td>
 *       <td>{@code EventideException} (malformed response)</td></tr>
 *   <tr><td>maxHeaderBytes: the response's field lines</td><td>{@value #DEFAULT_MAX_HEADER_BYTES}</td>
 *       <td>{@code EventideException}</td></tr>
 *   <tr><td>maxHeaderCount</td><td>{@value #DEFAULT_MAX_HEADER_COUNT}</td><td>{@code EventideException}</td></tr>
 *   <tr><td>userAgent: sent unless the request sets its own; null for none</td><td>{@code eventide}</td>
 *       <td></td></tr>
 *   <tr><td>tcp: socket settings; its watermarks bound what a request body queues</td>
 *       <td>{@link TcpOptions#defaults()}</td><td></td></tr>
 * </table>
 *
 * <p>The keep-alive default is shorter than the 5 s idle timeout of common servers (Node, Eventide)
 * so the client usually closes an idle connection before the server does; when the server wins
 * that race the client retries idempotent requests once (see {@link HttpClient}).
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param maxConnectionsPerOrigin connections per origin and loop, at least 1
 * @param maxWaitQueue queued requests per origin and loop, at least 0
 * @param keepAliveTimeout idle time before a pooled connection is closed, positive
 * @param connectTimeout TCP connect deadline, positive
 * @param headTimeout response-head deadline, positive
 * @param idleTimeout no-data deadline during an exchange, positive
 * @param maxResponseBodyBytes what {@code body()} aggregates at most
 * @param maxStatusLineBytes longest status line, CRLF excluded
 * @param maxHeaderBytes longest field section of a response head
 * @param maxHeaderCount most header (and trailer) fields in a response
 * @param userAgent the {@code User-Agent} value, or null
 * @param tcp socket settings (its connect timeout is replaced by {@code connectTimeout})
 */
public record ClientOptions(int maxConnectionsPerOrigin, int maxWaitQueue, Duration keepAliveTimeout,
        Duration connectTimeout, Duration headTimeout, Duration idleTimeout, long maxResponseBodyBytes,
        int maxStatusLineBytes, int maxHeaderBytes, int maxHeaderCount, String userAgent, TcpOptions tcp) {

    /** Default connections per origin and loop. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ORIGIN = 32;
    /** Default wait-queue length per origin and loop. */
    public static final int DEFAULT_MAX_WAIT_QUEUE = 1024;
    /** Default aggregation limit of {@code body()}: 64 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BODY_BYTES = 64L * 1024 * 1024;
    /** Default status-line limit. */
    public static final int DEFAULT_MAX_STATUS_LINE_BYTES = 8192;
    /** Default limit of a response's field section. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 65536;
    /** Default limit of a response's field count. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 256;

    /** Validates the settings. */
    public ClientOptions {
        if (maxConnectionsPerOrigin < 1 || maxWaitQueue < 0) {
            throw new IllegalArgumentException("need maxConnectionsPerOrigin >= 1 and maxWaitQueue >= 0, got "
                    + maxConnectionsPerOrigin + " and " + maxWaitQueue);
        }
        positive("keepAliveTimeout", keepAliveTimeout);
        positive("connectTimeout", connectTimeout);
        positive("headTimeout", headTimeout);
        positive("idleTimeout", idleTimeout);
        if (maxResponseBodyBytes < 0 || maxStatusLineBytes < 1 || maxHeaderBytes < 1 || maxHeaderCount < 1) {
            throw new IllegalArgumentException("limits must be positive (maxResponseBodyBytes >= 0)");
        }
        Objects.requireNonNull(tcp, "tcp");
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** @return the defaults */
    public static ClientOptions defaults() {
        return new ClientOptions(DEFAULT_MAX_CONNECTIONS_PER_ORIGIN, DEFAULT_MAX_WAIT_QUEUE, Duration.ofSeconds(4),
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30),
                DEFAULT_MAX_RESPONSE_BODY_BYTES, DEFAULT_MAX_STATUS_LINE_BYTES, DEFAULT_MAX_HEADER_BYTES,
                DEFAULT_MAX_HEADER_COUNT, "eventide", TcpOptions.defaults());
    }

    /** @param n connections per origin and loop @return a copy with it */
    public ClientOptions maxConnectionsPerOrigin(int n) {
        return new ClientOptions(n, maxWaitQueue, keepAliveTimeout, connectTimeout, headTimeout, idleTimeout,
                maxResponseBodyBytes, maxStatusLineBytes, maxHeaderBytes, maxHeaderCount, userAgent, tcp);
    }

    /** @param n queued requests per origin and loop @return a copy with it */
    public ClientOptions maxWaitQueue(int n) {
        return new ClientOptions(maxConnectionsPerOrigin, n, keepAliveTimeout, connectTimeout, headTimeout,
                idleTimeout, maxResponseBodyBytes, maxStatusLineBytes, maxHeaderBytes, maxHeaderCount, userAgent, tcp);
    }

    /** @param d idle time of a pooled connection @return a copy with it */
    public ClientOptions keepAliveTimeout(Duration d) {
        return new ClientOptions(maxConnectionsPerOrigin, maxWaitQueue, d, connectTimeout, headTimeout, idleTimeout,
                maxResponseBodyBytes, maxStatusLineBytes, maxHeaderBytes, maxHeaderCount, userAgent, tcp);
    }

    /** @param d connect deadline @return a copy with it */
    public ClientOptions connectTimeout(Duration d) {
        return new ClientOptions(maxConnectionsPerOrigin, maxWaitQueue, keepAliveTimeout, d, headTimeout, idleTimeout,
                maxResponseBodyBytes, maxStatusLineBytes, maxHeaderBytes, maxHeaderCount, userAgent, tcp);
    }

    /** @param d response-head deadline @return a copy with it */
    public ClientOptions headTimeout(Duration d) {
        return new ClientOptions(maxConnectionsPerOrigin, maxWaitQueue, keepAliveTimeout, connectTimeout, d,
                idleTimeout, maxResponseBodyBytes, maxStatusLineBytes, maxHeaderBytes, maxHeaderCount, userAgent, tcp);
    }

    /** @param d no-data deadline during an exchange @return a copy with it */
    public ClientOptions idleTimeout(Duration d) {
        return new ClientOptions(maxConnectionsPerOrigin, maxWaitQueue, keepAliveTimeout, connectTimeout, headTimeout,
                d, maxResponseBodyBytes, maxStatusLineBytes, maxHeaderBytes, maxHeaderCount, userAgent, tcp);
    }

    /** @param n aggregation limit of {@code body()} @return a copy with it */
    public ClientOptions maxResponseBodyBytes(long n) {
        return new ClientOptions(maxConnectionsPerOrigin, maxWaitQueue, keepAliveTimeout, connectTimeout, headTimeout,
                idleTimeout, n, maxStatusLineBytes, maxHeaderBytes, maxHeaderCount, userAgent, tcp);
    }

    /**
     * @param statusLine status-line limit
     * @param headerBytes field-section limit
     * @param headerCount field-count limit
     * @return a copy with them
     */
    public ClientOptions headLimits(int statusLine, int headerBytes, int headerCount) {
        return new ClientOptions(maxConnectionsPerOrigin, maxWaitQueue, keepAliveTimeout, connectTimeout, headTimeout,
                idleTimeout, maxResponseBodyBytes, statusLine, headerBytes, headerCount, userAgent, tcp);
    }

    /** @param value {@code User-Agent} value, or null for none @return a copy with it */
    public ClientOptions userAgent(String value) {
        return new ClientOptions(maxConnectionsPerOrigin, maxWaitQueue, keepAliveTimeout, connectTimeout, headTimeout,
                idleTimeout, maxResponseBodyBytes, maxStatusLineBytes, maxHeaderBytes, maxHeaderCount, value, tcp);
    }

    /** @param t socket settings @return a copy with them */
    public ClientOptions tcp(TcpOptions t) {
        return new ClientOptions(maxConnectionsPerOrigin, maxWaitQueue, keepAliveTimeout, connectTimeout, headTimeout,
                idleTimeout, maxResponseBodyBytes, maxStatusLineBytes, maxHeaderBytes, maxHeaderCount, userAgent, t);
    }
}
