package io.eventide.core.dns;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.internal.BoundedPool;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * The JDK's resolver ({@link InetAddress#getAllByName}, which follows the system's NSS setup: files,
 * DNS, mDNS, LDAP...) run on a small bounded pool of its own, {@code eventide-dns-jdk-N}, never on
 * a loop and never on the offload or file pools. Use it where the system resolves names Eventide's
 * own {@link DnsResolver} cannot see, or as its fallback ({@link ResolverOptions#jdkFallback()}).
 *
 * <p>The JDK caches answers itself ({@code networkaddress.cache.ttl}); failures become
 * {@link DnsException} with code {@link DnsException.Code#NXDOMAIN} (the JDK does not say more).
 *
 * <p><b>Threading:</b> any thread; promises settle on the loop passed in. {@link #close()} stops the
 * pool without waiting.
 */
public final class JdkResolver implements Resolver, AutoCloseable {
    /** Default threads of the pool. */
    public static final int DEFAULT_THREADS = 2;
    /** Default bound of its queue. */
    public static final int DEFAULT_QUEUE = 256;

    private final BoundedPool pool;

    private JdkResolver(int threads, int queue) {
        this.pool = new BoundedPool("eventide-dns-jdk", threads, queue, 30);
    }

    /** @return a resolver with the default pool size */
    public static JdkResolver create() {
        return create(DEFAULT_THREADS, DEFAULT_QUEUE);
    }

    /**
     * @param threads pool threads, at least 1
     * @param queue queue bound; past it lookups fail with {@link io.eventide.core.OverloadException}
     * @return a new resolver
     */
    public static JdkResolver create(int threads, int queue) {
        return new JdkResolver(threads, queue);
    }

    @Override
    public Promise<List<InetAddress>> resolve(EventLoop loop, String host) {
        Objects.requireNonNull(host, "host");
        return pool.submit(loop, () -> {
            try {
                return List.of(InetAddress.getAllByName(host)); // blocking-ok (eventide-dns-jdk thread)
            } catch (UnknownHostException e) {
                throw new DnsException(DnsException.Code.NXDOMAIN, host, "host not found by the JDK resolver: "
                        + host, e);
            }
        });
    }

    /** @return lookups waiting for a thread */
    public int queued() {
        return pool.queued();
    }

    /** @return lookups finished */
    public long completed() {
        return pool.completed();
    }

    @Override
    public void close() {
        pool.shutdown();
    }

    @Override
    public String toString() {
        return "JdkResolver[queued=" + queued() + "]";
    }
}
