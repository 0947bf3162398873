package io.eventide.core.dns.internal;

import io.eventide.core.dns.DnsException;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers kept until their TTL runs out: addresses (positive) and NXDOMAIN / NODATA (negative,
 * RFC 2308). Shared by every loop of a resolver. Bounded: when full, expired entries go first,
 * then an arbitrary tenth, so the cache never grows past its size and never needs a sweeper.
 *
 * <p><b>Threading:</b> any thread (a concurrent map of immutable entries).
 */
public final class DnsCache {
    /**
     * One cached answer.
     *
     * @param addresses the addresses, or null for a negative entry
     * @param error the negative answer, or null
     * @param expiresAt clock value at which it expires
     */
    public record Entry(List<InetAddress> addresses, DnsException error, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
    private final int max;

    /** @param max most entries kept */
    public DnsCache(int max) {
        this.max = max;
    }

    /**
     * @param key name and type
     * @param now the clock now
     * @return the live entry, or null
     */
    public Entry get(String key, long now) {
        Entry e = map.get(key);
        if (e == null) {
            return null;
        }
        if (now - e.expiresAt >= 0) {
            map.remove(key, e);
            return null;
        }
        return e;
    }

    /**
     * @param key name and type
     * @param e what to keep (not kept if its lifetime is zero)
     * @param now the clock now
     */
    public void put(String key, Entry e, long now) {
        if (e.expiresAt - now <= 0) {
            return;
        }
        if (map.size() >= max) {
            evict(now);
        }
        map.put(key, e);
    }

    private void evict(long now) {
        map.values().removeIf(e -> now - e.expiresAt >= 0);
        int drop = map.size() - max + Math.max(1, max / 10);
        Iterator<String> it = map.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** @return entries kept (live or not yet noticed as expired) */
    public int size() {
        return map.size();
    }

    /** Forgets everything. */
    public void clear() {
        map.clear();
    }
}
