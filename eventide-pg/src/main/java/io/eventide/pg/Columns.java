package io.eventide.pg;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of a result, shared by all its rows, with a lookup by name (exact first, then
 * case-insensitive, as JDBC's {@code findColumn}).
 *
 * <p><b>Threading:</b> immutable once built; any thread.
 */
public final class Columns {
    /** A result with no columns (INSERT, UPDATE, DDL without RETURNING). */
    public static final Columns NONE = new Columns(List.of());

    private final List<Column> list;
    private volatile Map<String, Integer> byName;

    /** @param list the columns, in order */
    public Columns(List<Column> list) {
        this.list = List.copyOf(list);
    }

    /** @return the columns, in order */
    public List<Column> list() {
        return list;
    }

    /** @return how many */
    public int size() {
        return list.size();
    }

    /** @param i a 0-based index @return that column */
    public Column get(int i) {
        return list.get(i);
    }

    /**
     * @param name a column label
     * @return its 0-based index
     * @throws IllegalArgumentException when no column has that name
     */
    public int indexOf(String name) {
        Map<String, Integer> m = byName;
        if (m == null) {
            m = new HashMap<>();
            for (int i = list.size() - 1; i >= 0; i--) { // the first of duplicate labels wins
                m.put(list.get(i).name(), i);
                m.putIfAbsent(list.get(i).name().toLowerCase(Locale.ROOT), i);
            }
            byName = m;
        }
        Integer i = m.get(name);
        if (i == null) {
            i = m.get(name.toLowerCase(Locale.ROOT));
        }
        if (i == null) {
            throw new IllegalArgumentException("no column named " + name + " in " + list.stream().map(Column::name).toList());
        }
        return i;
    }
}
