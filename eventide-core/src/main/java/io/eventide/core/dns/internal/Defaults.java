package io.eventide.core.dns.internal;

import io.eventide.core.LoopGroup;
import io.eventide.core.dns.DnsResolver;
import io.eventide.core.dns.JdkResolver;
import io.eventide.core.dns.Resolver;
import io.eventide.core.dns.ResolverOptions;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The default resolver of each loop group ({@link Resolver#of}).
 *
 * <p><b>Threading:</b> any thread; the map is guarded by itself.
 */
public final class Defaults {
    // Weak keys: a group nobody holds takes its resolver with it.
    private static final Map<LoopGroup, Resolver> BY_GROUP = new WeakHashMap<>();

    private Defaults() {
    }

    /** @param group a group @return its resolver, created on first use */
    public static Resolver of(LoopGroup group) {
        Objects.requireNonNull(group, "group");
        synchronized (BY_GROUP) {
            return BY_GROUP.computeIfAbsent(group, g -> "jdk".equals(System.getProperty("eventide.core.dns"))
                    ? JdkResolver.create() : DnsResolver.create(ResolverOptions.defaults()));
        }
    }

    /** @param group a group @param r its resolver from now on */
    public static void set(LoopGroup group, Resolver r) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(r, "r");
        synchronized (BY_GROUP) {
            BY_GROUP.put(group, r);
        }
    }
}
