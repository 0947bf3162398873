package io.eventide.pg.internal;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection's prepared statements, least recently used first out, keyed by SQL text plus the
 * parameter types declared at Parse. An evicted statement is closed on the server (Close + Sync,
 * pipelined like everything else). Loop-confined, like its connection.
 */
final class StatementCache {
    private final int capacity;
    private final LinkedHashMap<Key, Statement> map = new LinkedHashMap<>(16, 0.75f, true);
    private final Probe probe = new Probe();
    private long counter;

    StatementCache(int capacity) {
        this.capacity = capacity;
    }

    boolean enabled() {
        return capacity > 0;
    }

    Statement get(String sql, int[] oids) {
        probe.sql = sql; // one mutable lookup key, reused: loop-confined, never stored in the map
        probe.oids = oids;
        Statement s = map.get(probe);
        probe.sql = null;
        probe.oids = null;
        return s;
    }

    /**
     * Adds a new statement for {@code sql}; returns it and, when the cache was full, the statement
     * it pushed out (to be closed by the caller) through {@code evicted[0]}.
     */
    Statement create(String sql, int[] oids, Statement[] evicted) {
        Statement s = new Statement("e" + (++counter), sql, oids);
        map.put(new Key(sql, oids), s);
        if (map.size() > capacity) {
            Iterator<Map.Entry<Key, Statement>> it = map.entrySet().iterator();
            evicted[0] = it.next().getValue();
            it.remove();
        }
        return s;
    }

    /** Forgets {@code s} (if it is still the cached one for its key). */
    void remove(Statement s) {
        map.remove(new Key(s.sql, s.declaredOids), s);
    }

    int size() {
        return map.size();
    }

    /** Map key: SQL text and declared parameter types. Equal to a {@link Probe} with the same. */
    private static class Key {
        String sql;
        int[] oids;

        Key(String sql, int[] oids) {
            this.sql = sql;
            this.oids = oids;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.sql.equals(sql) && Arrays.equals(k.oids, oids);
        }

        @Override
        public int hashCode() {
            return sql.hashCode() * 31 + Arrays.hashCode(oids);
        }
    }

    /** The reusable lookup key. */
    private static final class Probe extends Key {
        Probe() {
            super(null, null);
        }
    }
}
