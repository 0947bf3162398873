package io.eventide.http;

import io.eventide.core.net.TcpOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link HttpServer}. Every limit has a default and a knob; start from
 * {@link #builder()} (the defaults) or {@link #toBuilder()}.
 *
 * {@snippet :
 * HttpOptions options = HttpOptions.builder()
 *         .keepAliveTimeout(Duration.ofSeconds(60))
 *         .maxBodyBytes(8 * 1024 * 1024)
 *         .build();
 * }
 *
 * <table>
 *   <caption>Limits and timeouts</caption>
 *   <tr><th>setting</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>limits: request line, head, field count, chunk line, trailers ({@link HttpLimits})</td>
 *       <td>{@link HttpLimits#defaults()}</td><td>414, 431, 400</td></tr>
 *   <tr><td>maxBodyBytes (per request, streamed or aggregated; a handler may raise it with
 *       {@link HttpRequest#maxBodyBytes(long)})</td><td>{@value #DEFAULT_MAX_BODY_BYTES}</td><td>413</td></tr>
 *   <tr><td>headerTimeout: first byte of a request to the end of its head (slowloris)</td><td>10 s</td>
 *       <td>408, close</td></tr>
 *   <tr><td>keepAliveTimeout: idle time between requests</td><td>5 s</td><td>close</td></tr>
 *   <tr><td>minBodyRate: bytes/s a body must sustain, averaged over {@code bodyRateWindow}; also
 *       the rest of a body the server answered early and discards</td>
 *       <td>1,024 B/s over 10 s</td><td>408 (or close, when answered), close</td></tr>
 *   <tr><td>handlerTimeout: from the end of the request to the response head; 0 disables it</td>
 *       <td>30 s</td><td>503, logged</td></tr>
 *   <tr><td>sweepInterval: how often each loop checks these deadlines</td><td>1 s</td><td></td></tr>
 * </table>
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public final class HttpOptions {
    /** Default per-request body limit: 64 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

    private static final HttpOptions DEFAULTS = new Builder().build();

    private final TcpOptions tcp;
    private final HttpLimits limits;
    private final long maxBodyBytes;
    private final Duration headerTimeout;
    private final Duration keepAliveTimeout;
    private final long minBodyRate;
    private final Duration bodyRateWindow;
    private final Duration handlerTimeout;
    private final Duration sweepInterval;
    private final String serverName;
    private final boolean gzip;

    private HttpOptions(Builder b) {
        this.tcp = Objects.requireNonNull(b.tcp, "tcp");
        this.limits = Objects.requireNonNull(b.limits, "limits");
        this.maxBodyBytes = b.maxBodyBytes;
        this.headerTimeout = positive("headerTimeout", b.headerTimeout);
        this.keepAliveTimeout = positive("keepAliveTimeout", b.keepAliveTimeout);
        this.minBodyRate = b.minBodyRate;
        this.bodyRateWindow = positive("bodyRateWindow", b.bodyRateWindow);
        this.handlerTimeout = Objects.requireNonNull(b.handlerTimeout, "handlerTimeout");
        this.sweepInterval = positive("sweepInterval", b.sweepInterval);
        this.serverName = b.serverName;
        this.gzip = b.gzip;
        if (maxBodyBytes < 0 || minBodyRate < 0 || handlerTimeout.isNegative()) {
            throw new IllegalArgumentException("maxBodyBytes, minBodyRate and handlerTimeout must be >= 0");
        }
    }

    private static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /** {@return the defaults} */
    public static HttpOptions defaults() {
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

    /** @return socket settings */
    public TcpOptions tcp() {
        return tcp;
    }

    /** @return size limits of request heads and chunked framing */
    public HttpLimits limits() {
        return limits;
    }

    /** @return the default body limit per request */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** @return the head deadline */
    public Duration headerTimeout() {
        return headerTimeout;
    }

    /** @return the idle deadline between requests */
    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    /** @return the minimum body rate in bytes per second, 0 when disabled */
    public long minBodyRate() {
        return minBodyRate;
    }

    /** @return the window over which the body rate is averaged */
    public Duration bodyRateWindow() {
        return bodyRateWindow;
    }

    /** @return how long a handler may take to start its response, zero when unlimited */
    public Duration handlerTimeout() {
        return handlerTimeout;
    }

    /** @return the deadline check period */
    public Duration sweepInterval() {
        return sweepInterval;
    }

    /** @return the {@code Server} header value, or null for none */
    public String serverName() {
        return serverName;
    }

    /** @return whether eligible responses are compressed when the client accepts gzip */
    public boolean gzip() {
        return gzip;
    }

    @Override
    public String toString() {
        return "HttpOptions[limits=" + limits + ", maxBodyBytes=" + maxBodyBytes + ", headerTimeout=" + headerTimeout
                + ", keepAliveTimeout=" + keepAliveTimeout + ", minBodyRate=" + minBodyRate + "/" + bodyRateWindow
                + ", handlerTimeout=" + handlerTimeout + ", gzip=" + gzip + "]";
    }

    /**
     * Builds {@link HttpOptions}; every setting starts at its default.
     *
     * <p><b>Threading:</b> not thread-safe; use from one thread.
     */
    public static final class Builder {
        private TcpOptions tcp = TcpOptions.defaults();
        private HttpLimits limits = HttpLimits.defaults();
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration keepAliveTimeout = Duration.ofSeconds(5);
        private long minBodyRate = 1024;
        private Duration bodyRateWindow = Duration.ofSeconds(10);
        private Duration handlerTimeout = Duration.ofSeconds(30);
        private Duration sweepInterval = Duration.ofSeconds(1);
        private String serverName = "eventide";
        private boolean gzip;

        private Builder() {
        }

        private Builder(HttpOptions o) {
            tcp = o.tcp;
            limits = o.limits;
            maxBodyBytes = o.maxBodyBytes;
            headerTimeout = o.headerTimeout;
            keepAliveTimeout = o.keepAliveTimeout;
            minBodyRate = o.minBodyRate;
            bodyRateWindow = o.bodyRateWindow;
            handlerTimeout = o.handlerTimeout;
            sweepInterval = o.sweepInterval;
            serverName = o.serverName;
            gzip = o.gzip;
        }

        /** @param t socket settings @return this builder */
        public Builder tcp(TcpOptions t) {
            tcp = t;
            return this;
        }

        /** @param l size limits @return this builder */
        public Builder limits(HttpLimits l) {
            limits = l;
            return this;
        }

        /** @param n default body limit per request @return this builder */
        public Builder maxBodyBytes(long n) {
            maxBodyBytes = n;
            return this;
        }

        /** @param d head deadline @return this builder */
        public Builder headerTimeout(Duration d) {
            headerTimeout = d;
            return this;
        }

        /** @param d idle deadline between requests @return this builder */
        public Builder keepAliveTimeout(Duration d) {
            keepAliveTimeout = d;
            return this;
        }

        /** @param bytesPerSecond minimum body rate, 0 to disable @return this builder */
        public Builder minBodyRate(long bytesPerSecond) {
            minBodyRate = bytesPerSecond;
            return this;
        }

        /** @param d the window the body rate is averaged over @return this builder */
        public Builder bodyRateWindow(Duration d) {
            bodyRateWindow = d;
            return this;
        }

        /** @param d how long a handler may take to start its response, zero for no limit @return this builder */
        public Builder handlerTimeout(Duration d) {
            handlerTimeout = d;
            return this;
        }

        /** @param d deadline check period @return this builder */
        public Builder sweepInterval(Duration d) {
            sweepInterval = d;
            return this;
        }

        /** @param name {@code Server} header value, null for none @return this builder */
        public Builder serverName(String name) {
            serverName = name;
            return this;
        }

        /** @param on compress eligible responses @return this builder */
        public Builder gzip(boolean on) {
            gzip = on;
            return this;
        }

        /** {@return the settings} @throws IllegalArgumentException if one is out of range */
        public HttpOptions build() {
            return new HttpOptions(this);
        }
    }
}
