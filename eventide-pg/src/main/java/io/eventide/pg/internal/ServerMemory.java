package io.eventide.pg.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a client learnt about its server, shared by its loops: the SCRAM salted passwords, keyed by
 * (password, salt, iterations) (the server keeps one salt per role, so every reconnect after the
 * first skips PBKDF2), and whether the server refused protocol 3.2 outright (older PgBouncers close
 * the connection on an unknown minor version instead of answering NegotiateProtocolVersion; from
 * then on this client asks for 3.0).
 * Thread-safe.
 *
 * <p><b>Threading:</b> any thread (a concurrent map).
 */
public final class ServerMemory {
    private static final int MAX_ENTRIES = 64;

    private final Map<Key, byte[]> cache = new ConcurrentHashMap<>();
    private volatile int computed;
    private volatile boolean refuses32;

    boolean refuses32() {
        return refuses32;
    }

    void refuses32(boolean v) {
        refuses32 = v;
    }

    byte[] get(String password, byte[] salt, int iterations) {
        return cache.get(new Key(password, salt, iterations));
    }

    void put(String password, byte[] salt, int iterations, byte[] salted) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear(); // salts change only when a password is reset: a full cache means churn
        }
        cache.put(new Key(password, salt, iterations), salted);
        computed++;
    }

    /** @return how many times PBKDF2 ran (for tests: reconnects must not add to it) */
    public int computed() {
        return computed;
    }

    private record Key(String password, byte[] salt, int iterations) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.iterations == iterations && k.password.equals(password)
                    && Arrays.equals(k.salt, salt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(password, Arrays.hashCode(salt), iterations);
        }
    }
}
