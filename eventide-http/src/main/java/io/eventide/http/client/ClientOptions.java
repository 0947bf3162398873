package io.eventide.http.client;

import io.eventide.core.net.TcpOptions;
import io.eventide.http.HttpLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link HttpClient}. Start from {@link #builder()} (the defaults) and change what
 * you need: {@code ClientOptions.builder().maxConnectionsPerOrigin(4).headTimeout(Duration.ofSeconds(2)).build()}.
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
 *   <tr><td>limits: status line, field section, field count, chunk framing
 *       ({@link HttpLimits}); larger field limits than a server's, since servers send big cookies</td>
 *       <td>{@link HttpLimits#defaults()} with maxHeaderBytes {@value #DEFAULT_MAX_HEADER_BYTES},
 *       maxHeaderCount {@value #DEFAULT_MAX_HEADER_COUNT}</td><td>{@code EventideException}
 *       (malformed response)</td></tr>
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
 */
public final class ClientOptions {
    /** Default connections per origin and loop. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ORIGIN = 32;
    /** Default wait-queue length per origin and loop. */
    public static final int DEFAULT_MAX_WAIT_QUEUE = 1024;
    /** Default aggregation limit of {@code body()}: 64 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BODY_BYTES = 64L * 1024 * 1024;
    /** Default limit of a response's field section. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 65536;
    /** Default limit of a response's field count. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 256;

    private static final ClientOptions DEFAULTS = new Builder().build();

    private final int maxConnectionsPerOrigin;
    private final int maxWaitQueue;
    private final Duration keepAliveTimeout;
    private final Duration connectTimeout;
    private final Duration headTimeout;
    private final Duration idleTimeout;
    private final long maxResponseBodyBytes;
    private final HttpLimits limits;
    private final String userAgent;
    private final TcpOptions tcp;

    private ClientOptions(Builder b) {
        if (b.maxConnectionsPerOrigin < 1 || b.maxWaitQueue < 0) {
            throw new IllegalArgumentException("need maxConnectionsPerOrigin >= 1 and maxWaitQueue >= 0, got "
                    + b.maxConnectionsPerOrigin + " and " + b.maxWaitQueue);
        }
        if (b.maxResponseBodyBytes < 0) {
            throw new IllegalArgumentException("maxResponseBodyBytes must be >= 0: " + b.maxResponseBodyBytes);
        }
        maxConnectionsPerOrigin = b.maxConnectionsPerOrigin;
        maxWaitQueue = b.maxWaitQueue;
        keepAliveTimeout = positive("keepAliveTimeout", b.keepAliveTimeout);
        connectTimeout = positive("connectTimeout", b.connectTimeout);
        headTimeout = positive("headTimeout", b.headTimeout);
        idleTimeout = positive("idleTimeout", b.idleTimeout);
        maxResponseBodyBytes = b.maxResponseBodyBytes;
        limits = Objects.requireNonNull(b.limits, "limits");
        userAgent = b.userAgent;
        tcp = Objects.requireNonNull(b.tcp, "tcp");
    }

    private static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /** {@return the defaults} */
    public static ClientOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder starting from these settings} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return connections per origin and loop */
    public int maxConnectionsPerOrigin() {
        return maxConnectionsPerOrigin;
    }

    /** @return queued requests per origin and loop */
    public int maxWaitQueue() {
        return maxWaitQueue;
    }

    /** @return idle time before a pooled connection is closed */
    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    /** @return the TCP connect deadline */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the response-head deadline */
    public Duration headTimeout() {
        return headTimeout;
    }

    /** @return the no-data deadline during an exchange */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** @return what {@code body()} aggregates at most */
    public long maxResponseBodyBytes() {
        return maxResponseBodyBytes;
    }

    /** @return size limits of responses */
    public HttpLimits limits() {
        return limits;
    }

    /** @return the {@code User-Agent} value, or null */
    public String userAgent() {
        return userAgent;
    }

    /** @return socket settings (the connect timeout is replaced by {@link #connectTimeout()}) */
    public TcpOptions tcp() {
        return tcp;
    }

    /**
     * Builds {@link ClientOptions}; every setting starts at its default.
     *
     * <p><b>Threading:</b> not thread-safe; use from one thread.
     */
    public static final class Builder {
        private int maxConnectionsPerOrigin = DEFAULT_MAX_CONNECTIONS_PER_ORIGIN;
        private int maxWaitQueue = DEFAULT_MAX_WAIT_QUEUE;
        private Duration keepAliveTimeout = Duration.ofSeconds(4);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration headTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private long maxResponseBodyBytes = DEFAULT_MAX_RESPONSE_BODY_BYTES;
        private HttpLimits limits = HttpLimits.builder().maxHeaderBytes(DEFAULT_MAX_HEADER_BYTES)
                .maxHeaderCount(DEFAULT_MAX_HEADER_COUNT).build();
        private String userAgent = "eventide";
        private TcpOptions tcp = TcpOptions.defaults();

        private Builder() {
        }

        private Builder(ClientOptions o) {
            maxConnectionsPerOrigin = o.maxConnectionsPerOrigin;
            maxWaitQueue = o.maxWaitQueue;
            keepAliveTimeout = o.keepAliveTimeout;
            connectTimeout = o.connectTimeout;
            headTimeout = o.headTimeout;
            idleTimeout = o.idleTimeout;
            maxResponseBodyBytes = o.maxResponseBodyBytes;
            limits = o.limits;
            userAgent = o.userAgent;
            tcp = o.tcp;
        }

        /** @param n connections per origin and loop, at least 1 @return this builder */
        public Builder maxConnectionsPerOrigin(int n) {
            maxConnectionsPerOrigin = n;
            return this;
        }

        /** @param n queued requests per origin and loop, at least 0 @return this builder */
        public Builder maxWaitQueue(int n) {
            maxWaitQueue = n;
            return this;
        }

        /** @param d idle time of a pooled connection @return this builder */
        public Builder keepAliveTimeout(Duration d) {
            keepAliveTimeout = d;
            return this;
        }

        /** @param d connect deadline @return this builder */
        public Builder connectTimeout(Duration d) {
            connectTimeout = d;
            return this;
        }

        /** @param d response-head deadline @return this builder */
        public Builder headTimeout(Duration d) {
            headTimeout = d;
            return this;
        }

        /** @param d no-data deadline during an exchange @return this builder */
        public Builder idleTimeout(Duration d) {
            idleTimeout = d;
            return this;
        }

        /** @param n aggregation limit of {@code body()} @return this builder */
        public Builder maxResponseBodyBytes(long n) {
            maxResponseBodyBytes = n;
            return this;
        }

        /** @param l size limits of responses @return this builder */
        public Builder limits(HttpLimits l) {
            limits = l;
            return this;
        }

        /** @param value {@code User-Agent} value, or null for none @return this builder */
        public Builder userAgent(String value) {
            userAgent = value;
            return this;
        }

        /** @param t socket settings @return this builder */
        public Builder tcp(TcpOptions t) {
            tcp = t;
            return this;
        }

        /** {@return the settings} @throws IllegalArgumentException if one is out of range */
        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
