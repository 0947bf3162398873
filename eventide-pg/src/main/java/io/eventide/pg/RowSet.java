package io.eventide.pg;

import java.util.Iterator;
import java.util.List;

/**
 * The result of one statement: its rows (all in memory: use {@link PgClient#stream} for large
 * results), its columns and its command tag.
 *
 * <p><b>Threading:</b> immutable once built; any thread.
 */
public final class RowSet implements Iterable<Row> {
    private final Columns columns;
    private final List<Row> rows;
    private final String tag;

    /**
     * For the driver.
     *
     * @param columns the result's columns
     * @param rows the rows
     * @param tag the CommandComplete tag, e.g. {@code "SELECT 3"}, {@code "INSERT 0 1"}
     */
    public RowSet(Columns columns, List<Row> rows, String tag) {
        this.columns = columns;
        this.rows = rows;
        this.tag = tag;
    }

    /** @return the rows, in order */
    public List<Row> rows() {
        return rows;
    }

    /** @return the number of rows returned */
    public int size() {
        return rows.size();
    }

    /** @return the first row, or null when there is none */
    public Row first() {
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** @return the columns */
    public Columns columns() {
        return columns;
    }

    /** @return the command tag ({@code "UPDATE 5"}), empty for an empty query */
    public String tag() {
        return tag;
    }

    /** @return rows affected or returned, from the command tag (0 when it has no count) */
    public long rowCount() {
        int sp = tag.lastIndexOf(' ');
        if (sp < 0) {
            return 0;
        }
        try {
            return Long.parseLong(tag.substring(sp + 1));
        } catch (NumberFormatException e) {
            return 0; // tags such as "CREATE TABLE" carry no count
        }
    }

    @Override
    public Iterator<Row> iterator() {
        return rows.iterator();
    }

    @Override
    public String toString() {
        return "RowSet[" + tag + ", " + rows.size() + " rows]";
    }
}
