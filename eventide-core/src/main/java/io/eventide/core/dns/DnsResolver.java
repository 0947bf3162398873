package io.eventide.core.dns;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.dns.DnsException.Code;
import io.eventide.core.dns.internal.DnsCache;
import io.eventide.core.dns.internal.DnsCodec;
import io.eventide.core.dns.internal.Hosts;
import io.eventide.core.dns.internal.Lookup;
import io.eventide.core.dns.internal.ResolverConfig;
import io.eventide.core.dns.internal.SearchRun;
import io.eventide.core.internal.BoundedPool;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Eventide's own stub resolver: queries DNS servers over UDP from the loop itself (each query a
 * non-blocking {@link java.nio.channels.DatagramChannel} registered with the loop's selector), like
 * c-ares under Node, so a slow name server costs a pending promise, never a thread.
 *
 * <pre>
 *   resolve(loop, host, family)
 *     literal? ──► done            /etc/hosts? ──► done            cache (TTL, negative)? ──► done
 *     same name in flight on this loop? ──► share it
 *     search list × servers × attempts: UDP query ──TC bit──► same server over TCP
 *     all servers silent or failing + jdkFallback ──► InetAddress on the DNS pool
 *     answer cached for min(TTL) (bounded), NXDOMAIN / NODATA for the SOA's negative TTL
 * </pre>
 *
 * <p>{@link #resolve(EventLoop, String)} asks A and AAAA at once and returns IPv4 addresses first,
 * then IPv6 (the JDK's order); it fails only if both fail. The files are read on the resolver's
 * own small pool ({@code eventide-dns-N}), which also runs the JDK fallback: no DNS work ever
 * waits behind file or CPU work.
 *
 * {@snippet :
 * DnsResolver dns = DnsResolver.create(ResolverOptions.builder()
 *         .nameservers(List.of(new InetSocketAddress("127.0.0.1", 5353))).build());
 * Resolver.setDefault(group, dns);            // TcpClient, HttpClient, WebSocketClient use it
 * }
 *
 * <p><b>Threading:</b> any thread may call; each lookup runs on, and settles on, the loop passed
 * in. The cache and counters are shared by all loops and thread-safe.
 */
public final class DnsResolver implements Resolver, AutoCloseable {
    private final ResolverOptions options;
    private final DnsCache cache;
    private final BoundedPool pool = new BoundedPool("eventide-dns", 2, 256, 30);
    private final CompletableFuture<ResolverConfig> firstLoad = new CompletableFuture<>();
    private final ConcurrentHashMap<EventLoop, Map<String, Promise<List<InetAddress>>>> inFlight =
            new ConcurrentHashMap<>();
    private final AtomicBoolean reloading = new AtomicBoolean();
    private final AtomicInteger rotation = new AtomicInteger();
    private final LongAdder udp = new LongAdder();
    private final LongAdder tcp = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder jdk = new LongAdder();
    private final Lookup.Counters counters = new Lookup.Counters() {
        @Override
        public void udpSent() {
            udp.increment();
        }

        @Override
        public void tcpSent() {
            tcp.increment();
        }
    };
    private volatile ResolverConfig config;
    private volatile long lastCheck;
    private volatile JdkResolver jdkResolver;

    private DnsResolver(ResolverOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.cache = new DnsCache(options.cacheSize());
        this.lastCheck = options.clock().getAsLong();
        pool.execute(this::loadFirst);
    }

    /**
     * @param options settings; the files they name are read in the background, not here
     * @return a new resolver
     */
    public static DnsResolver create(ResolverOptions options) {
        return new DnsResolver(options);
    }

    private void loadFirst() {
        ResolverConfig c = ResolverConfig.load(options);
        config = c;
        firstLoad.complete(c);
    }

    @Override
    public Promise<List<InetAddress>> resolve(EventLoop loop, String host) {
        Promise<List<InetAddress>> v4 = resolve(loop, host, StandardProtocolFamily.INET);
        Promise<List<InetAddress>> v6 = resolve(loop, host, StandardProtocolFamily.INET6);
        Promise<List<InetAddress>> out = loop.promise();
        Object[] got = new Object[2]; // value or failure of each family; touched on the loop only
        int[] left = {2};
        Runnable combine = () -> {
            if (--left[0] > 0) {
                return;
            }
            if (got[0] instanceof Throwable e4 && got[1] instanceof Throwable e6) {
                out.reject(pick(e4, e6));
                return;
            }
            List<InetAddress> all = new ArrayList<>();
            for (Object g : got) {
                if (g instanceof List<?> l) {
                    for (Object a : l) {
                        all.add((InetAddress) a);
                    }
                }
            }
            out.resolve(List.copyOf(all));
        };
        // Both reactions attached now: a family failing first must not count as unhandled.
        v4.whenComplete((a, e) -> {
            got[0] = e != null ? e : a;
            combine.run();
        });
        v6.whenComplete((a, e) -> {
            got[1] = e != null ? e : a;
            combine.run();
        });
        return out;
    }

    /** Of two failures, the one that says most: anything beats NODATA (the other family's absence). */
    private static Throwable pick(Throwable e4, Throwable e6) {
        if (e4 instanceof DnsException d && d.code() == Code.NODATA) {
            if (e6 instanceof DnsException d6 && d6.code() == Code.NODATA) {
                return new DnsException(Code.NODATA, d.host(), "no address for " + d.host() + " (NODATA for A and AAAA)",
                        null);
            }
            return e6;
        }
        return e4;
    }

    @Override
    public Promise<List<InetAddress>> resolve(EventLoop loop, String host, StandardProtocolFamily family) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(family, "family");
        boolean v4 = family == StandardProtocolFamily.INET;
        InetAddress literal = Hosts.parseAddress(host);
        if (literal != null) {
            boolean match = v4 ? literal instanceof Inet4Address : literal instanceof Inet6Address;
            return match ? Promise.resolved(loop, List.of(literal))
                    : Promise.failed(loop, noData(host, v4, "an address literal of the other family"));
        }
        String name = host.toLowerCase(Locale.ROOT);
        ResolverConfig c = config;
        if (c == null) {
            return Promise.from(loop, firstLoad).flatMap(cfg -> resolve(loop, host, family));
        }
        maybeReload();
        if (c.hosts().contains(name)) {
            // Listed in the hosts file: the file is the answer, as with NSS "files" before "dns".
            List<InetAddress> fromHosts = c.hosts().lookup(name, v4, !v4);
            return !fromHosts.isEmpty() ? Promise.resolved(loop, fromHosts)
                    : Promise.failed(loop, noData(host, v4, "the hosts file lists it with the other family only"));
        }
        if (name.equals("localhost") || name.endsWith(".localhost") || name.equals("localhost.")) {
            // RFC 6761 §6.3: localhost is always the loopback, and never asked of DNS.
            return Promise.resolved(loop, List.of(v4 ? InetAddress.getLoopbackAddress() : loopback6()));
        }
        String key = name + (v4 ? "/A" : "/AAAA");
        long now = options.clock().getAsLong();
        DnsCache.Entry e = cache.get(key, now);
        if (e != null) {
            hits.increment();
            return e.error() != null ? Promise.failed(loop, copy(e.error())) : Promise.resolved(loop, e.addresses());
        }
        return loop.inLoop() ? lookupShared(loop, name, key, v4, c)
                : Promise.resolved(loop, null).flatMap(x -> lookupShared(loop, name, key, v4, c));
    }

    /** On the loop: one lookup per name and type at a time; later callers share it. */
    private Promise<List<InetAddress>> lookupShared(EventLoop loop, String name, String key, boolean v4,
            ResolverConfig c) {
        Map<String, Promise<List<InetAddress>>> mine = inFlight.computeIfAbsent(loop, l -> new HashMap<>());
        Promise<List<InetAddress>> running = mine.get(key);
        if (running == null) {
            running = lookup(loop, name, key, v4, c);
            mine.put(key, running);
            Promise<List<InetAddress>> r = running;
            running.whenComplete((v, err) -> mine.remove(key, r));
        }
        return running.map(v -> v); // each caller its own promise: its rejection is its own to handle
    }

    private Promise<List<InetAddress>> lookup(EventLoop loop, String name, String key, boolean v4, ResolverConfig c) {
        int first = c.rotate() ? Math.floorMod(rotation.getAndIncrement(), c.nameservers().size()) : 0;
        long negDefault = options.negativeTtl().toSeconds();
        return SearchRun.run(loop, name, v4 ? DnsCodec.TYPE_A : DnsCodec.TYPE_AAAA, c, first, counters, negDefault)
                .flatMap(r -> {
                    long now = options.clock().getAsLong();
                    if (r.addresses() != null) {
                        long ttl = Math.max(options.minTtl().toSeconds(), Math.min(options.maxTtl().toSeconds(),
                                r.ttlSeconds()));
                        cache.put(key, new DnsCache.Entry(r.addresses(), null, now + TimeUnit.SECONDS.toNanos(ttl)), now);
                        return Promise.resolved(loop, r.addresses());
                    }
                    if (r.ttlSeconds() >= 0) {
                        long ttl = Math.min(options.maxNegativeTtl().toSeconds(), r.ttlSeconds());
                        cache.put(key, new DnsCache.Entry(null, r.error(), now + TimeUnit.SECONDS.toNanos(ttl)), now);
                    }
                    if (options.jdkFallback() && r.ttlSeconds() < 0) {
                        return jdkFallback(loop, name, v4, r.error());
                    }
                    return Promise.<List<InetAddress>>failed(loop, r.error());
                });
    }

    private Promise<List<InetAddress>> jdkFallback(EventLoop loop, String name, boolean v4, DnsException why) {
        jdk.increment();
        return jdk().resolve(loop, name, v4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)
                .recoverWith(err -> Promise.failed(loop, new DnsException(Code.JDK_FAILED, name, why.getMessage()
                        + "; the JDK resolver then failed too: " + err.getMessage(), err)));
    }

    private JdkResolver jdk() {
        JdkResolver j = jdkResolver;
        if (j == null) {
            synchronized (this) {
                if (jdkResolver == null) {
                    jdkResolver = JdkResolver.create();
                }
                j = jdkResolver;
            }
        }
        return j;
    }

    /** Re-reads the files in the background if one changed; lookups meanwhile use the old settings. */
    private void maybeReload() {
        long now = options.clock().getAsLong();
        if (now - lastCheck < options.reloadInterval().toNanos() || !reloading.compareAndSet(false, true)) {
            return;
        }
        lastCheck = now;
        try {
            pool.execute(() -> {
                try {
                    ResolverConfig old = config;
                    if (old.changed(options)) {
                        config = ResolverConfig.load(options);
                    }
                } catch (RuntimeException e) {
                    // Keep the old settings; the next interval tries again.
                } finally {
                    reloading.set(false);
                }
            });
        } catch (RuntimeException e) {
            reloading.set(false); // pool full or closed: try again at the next interval
        }
    }

    private static DnsException copy(DnsException e) {
        // A fresh exception per caller: the stack says where this caller asked, and nobody's
        // addSuppressed leaks into another caller's failure.
        return new DnsException(e.code(), e.host(), e.getMessage() + " (cached)", null);
    }

    private static DnsException noData(String host, boolean v4, String why) {
        return new DnsException(Code.NODATA, host, "no " + (v4 ? "IPv4" : "IPv6") + " address for " + host + ": " + why,
                null);
    }

    private static InetAddress loopback6() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** @return UDP queries sent so far */
    public long udpQueries() {
        return udp.sum();
    }

    /** @return truncated answers asked again over TCP so far */
    public long tcpQueries() {
        return tcp.sum();
    }

    /** @return lookups answered from the cache */
    public long cacheHits() {
        return hits.sum();
    }

    /** @return lookups handed to the JDK resolver */
    public long jdkFallbacks() {
        return jdk.sum();
    }

    /** @return the settings */
    public ResolverOptions options() {
        return options;
    }

    /** Forgets every cached answer. */
    public void clearCache() {
        cache.clear();
    }

    /** Stops the resolver's pool and its JDK fallback's; lookups in flight on loops still finish. */
    @Override
    public void close() {
        pool.shutdown();
        JdkResolver j = jdkResolver;
        if (j != null) {
            j.close();
        }
    }

    @Override
    public String toString() {
        ResolverConfig c = config;
        return "DnsResolver[" + (c == null ? "loading" : c.nameservers()) + "]";
    }
}
