package io.eventide.core.dns;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of a {@link DnsResolver}. By default everything comes from the system's files, read on
 * a background thread (never on a loop) and re-read when they change: {@code /etc/resolv.conf}
 * (nameservers, search list, ndots, timeout, attempts, rotate) and {@code /etc/hosts}. Any setting
 * given here overrides the file.
 *
 * {@snippet :
 * ResolverOptions opts = ResolverOptions.builder()
 *         .nameservers(List.of(new InetSocketAddress("127.0.0.1", 5353)))
 *         .search(List.of("svc.cluster.local")).ndots(2)
 *         .timeout(Duration.ofSeconds(1)).attempts(2)
 *         .build();
 * }
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>resolvConf / hostsFile</td><td>{@code /etc/resolv.conf} / {@code /etc/hosts} (null: not read)</td></tr>
 *   <tr><td>nameservers, search, ndots, timeout, attempts</td><td>from resolv.conf (glibc's defaults:
 *       127.0.0.1, none, 1, 5 s, 2)</td></tr>
 *   <tr><td>tcpFallback: ask again over TCP when an answer is truncated</td><td>true</td></tr>
 *   <tr><td>jdkFallback: ask {@link java.net.InetAddress} (on its own pool) when every server
 *       timed out or failed</td><td>false ({@code eventide.core.dns-jdk-fallback})</td></tr>
 *   <tr><td>cacheSize: names kept</td><td>{@value #DEFAULT_CACHE_SIZE}</td></tr>
 *   <tr><td>minTtl / maxTtl: bounds applied to record TTLs</td><td>0 / 1 h</td></tr>
 *   <tr><td>negativeTtl: how long NXDOMAIN / NODATA is cached without an SOA; the cap with one</td>
 *       <td>30 s / 5 min</td></tr>
 *   <tr><td>reloadInterval: how often the files' modification times are checked</td><td>5 s</td></tr>
 *   <tr><td>clock: nanosecond time source for TTLs (a test may pass a fake one)</td>
 *       <td>{@link System#nanoTime()}</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> immutable value; any thread. The builder is not thread-safe.
 */
public final class ResolverOptions {
    /** Default number of cached names. */
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    private final Path resolvConf;
    private final Path hostsFile;
    private final List<InetSocketAddress> nameservers;
    private final List<String> search;
    private final Integer ndots;
    private final Duration timeout;
    private final Integer attempts;
    private final boolean tcpFallback;
    private final boolean jdkFallback;
    private final int cacheSize;
    private final Duration minTtl;
    private final Duration maxTtl;
    private final Duration negativeTtl;
    private final Duration maxNegativeTtl;
    private final Duration reloadInterval;
    private final LongSupplier clock;

    private ResolverOptions(Builder b) {
        this.resolvConf = b.resolvConf;
        this.hostsFile = b.hostsFile;
        this.nameservers = b.nameservers == null ? null : List.copyOf(b.nameservers);
        this.search = b.search == null ? null : List.copyOf(b.search);
        this.ndots = b.ndots;
        this.timeout = b.timeout;
        this.attempts = b.attempts;
        this.tcpFallback = b.tcpFallback;
        this.jdkFallback = b.jdkFallback;
        this.cacheSize = b.cacheSize;
        this.minTtl = b.minTtl;
        this.maxTtl = b.maxTtl;
        this.negativeTtl = b.negativeTtl;
        this.maxNegativeTtl = b.maxNegativeTtl;
        this.reloadInterval = b.reloadInterval;
        this.clock = b.clock;
    }

    /** @return the defaults: the system's files, nothing overridden */
    public static ResolverOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.resolvConf = resolvConf;
        b.hostsFile = hostsFile;
        b.nameservers = nameservers;
        b.search = search;
        b.ndots = ndots;
        b.timeout = timeout;
        b.attempts = attempts;
        b.tcpFallback = tcpFallback;
        b.jdkFallback = jdkFallback;
        b.cacheSize = cacheSize;
        b.minTtl = minTtl;
        b.maxTtl = maxTtl;
        b.negativeTtl = negativeTtl;
        b.maxNegativeTtl = maxNegativeTtl;
        b.reloadInterval = reloadInterval;
        b.clock = clock;
        return b;
    }

    /** @return the resolv.conf to read, or null */
    public Path resolvConf() {
        return resolvConf;
    }

    /** @return the hosts file to read, or null */
    public Path hostsFile() {
        return hostsFile;
    }

    /** @return nameservers given here, or null for resolv.conf's */
    public List<InetSocketAddress> nameservers() {
        return nameservers;
    }

    /** @return the search list given here, or null for resolv.conf's */
    public List<String> search() {
        return search;
    }

    /** @return ndots given here, or null for resolv.conf's */
    public Integer ndots() {
        return ndots;
    }

    /** @return the per-attempt timeout given here, or null for resolv.conf's */
    public Duration timeout() {
        return timeout;
    }

    /** @return attempts given here, or null for resolv.conf's */
    public Integer attempts() {
        return attempts;
    }

    /** @return whether truncated answers are asked again over TCP */
    public boolean tcpFallback() {
        return tcpFallback;
    }

    /** @return whether the JDK's resolver is asked when every server failed */
    public boolean jdkFallback() {
        return jdkFallback;
    }

    /** @return how many names the cache keeps */
    public int cacheSize() {
        return cacheSize;
    }

    /** @return the least time an answer is cached */
    public Duration minTtl() {
        return minTtl;
    }

    /** @return the most time an answer is cached */
    public Duration maxTtl() {
        return maxTtl;
    }

    /** @return how long a negative answer without SOA is cached */
    public Duration negativeTtl() {
        return negativeTtl;
    }

    /** @return the most time a negative answer is cached */
    public Duration maxNegativeTtl() {
        return maxNegativeTtl;
    }

    /** @return how often the files are checked for changes */
    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** @return the clock TTLs are measured with */
    public LongSupplier clock() {
        return clock;
    }

    /**
     * Builds {@link ResolverOptions}.
     *
     * <p><b>Threading:</b> not thread-safe; build on one thread.
     */
    public static final class Builder {
        private Path resolvConf = Path.of("/etc/resolv.conf");
        private Path hostsFile = Path.of("/etc/hosts");
        private List<InetSocketAddress> nameservers;
        private List<String> search;
        private Integer ndots;
        private Duration timeout;
        private Integer attempts;
        private boolean tcpFallback = true;
        private boolean jdkFallback = Boolean.getBoolean("eventide.core.dns-jdk-fallback");
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private Duration minTtl = Duration.ZERO;
        private Duration maxTtl = Duration.ofHours(1);
        private Duration negativeTtl = Duration.ofSeconds(30);
        private Duration maxNegativeTtl = Duration.ofMinutes(5);
        private Duration reloadInterval = Duration.ofSeconds(5);
        private LongSupplier clock = System::nanoTime;

        private Builder() {
        }

        /** @param p resolv.conf to read, or null for none @return this */
        public Builder resolvConf(Path p) {
            resolvConf = p;
            return this;
        }

        /** @param p hosts file to read, or null for none @return this */
        public Builder hostsFile(Path p) {
            hostsFile = p;
            return this;
        }

        /** @param servers servers to ask, in order; at least one @return this */
        public Builder nameservers(List<InetSocketAddress> servers) {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("at least one nameserver");
            }
            nameservers = List.copyOf(servers);
            return this;
        }

        /** @param suffixes search list @return this */
        public Builder search(List<String> suffixes) {
            search = List.copyOf(suffixes);
            return this;
        }

        /** @param n dots a name needs to be tried as is before the search list, 0..15 @return this */
        public Builder ndots(int n) {
            if (n < 0 || n > 15) {
                throw new IllegalArgumentException("ndots must be 0..15: " + n);
            }
            ndots = n;
            return this;
        }

        /** @param t wait per attempt per server, positive @return this */
        public Builder timeout(Duration t) {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + t);
            }
            timeout = t;
            return this;
        }

        /** @param n rounds over all servers, 1..10 @return this */
        public Builder attempts(int n) {
            if (n < 1 || n > 10) {
                throw new IllegalArgumentException("attempts must be 1..10: " + n);
            }
            attempts = n;
            return this;
        }

        /** @param on whether to ask again over TCP on truncation @return this */
        public Builder tcpFallback(boolean on) {
            tcpFallback = on;
            return this;
        }

        /** @param on whether to fall back to the JDK's resolver @return this */
        public Builder jdkFallback(boolean on) {
            jdkFallback = on;
            return this;
        }

        /** @param n names kept, at least 1 @return this */
        public Builder cacheSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("cacheSize must be >= 1: " + n);
            }
            cacheSize = n;
            return this;
        }

        /** @param min least caching time @param max most caching time @return this */
        public Builder ttlBounds(Duration min, Duration max) {
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("need 0 <= minTtl <= maxTtl: " + min + ", " + max);
            }
            minTtl = min;
            maxTtl = max;
            return this;
        }

        /** @param dflt negative TTL without SOA @param max cap of any negative TTL @return this */
        public Builder negativeTtl(Duration dflt, Duration max) {
            if (dflt.isNegative() || max.isNegative()) {
                throw new IllegalArgumentException("negative TTLs must be >= 0");
            }
            negativeTtl = dflt;
            maxNegativeTtl = max;
            return this;
        }

        /** @param every how often to check the files for changes @return this */
        public Builder reloadInterval(Duration every) {
            reloadInterval = Objects.requireNonNull(every);
            return this;
        }

        /** @param nanos a nanosecond clock for TTLs @return this */
        public Builder clock(LongSupplier nanos) {
            clock = Objects.requireNonNull(nanos);
            return this;
        }

        /** @return the settings */
        public ResolverOptions build() {
            return new ResolverOptions(this);
        }
    }
}
