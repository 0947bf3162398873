package io.eventide.pg;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One row of a result, decoded when it arrived. Values are Java objects:
 *
 * <table>
 *   <caption>PostgreSQL type to Java value</caption>
 *   <tr><th>type</th><th>Java</th></tr>
 *   <tr><td>int2, int4, int8, oid</td><td>Short, Integer, Long, Long</td></tr>
 *   <tr><td>float4, float8</td><td>Float, Double</td></tr>
 *   <tr><td>numeric</td><td>BigDecimal (NaN and the infinities as Double)</td></tr>
 *   <tr><td>bool, uuid, bytea</td><td>Boolean, UUID, byte[]</td></tr>
 *   <tr><td>text, varchar, bpchar, name, "char", json, jsonb</td><td>String</td></tr>
 *   <tr><td>date, time, timestamp</td><td>LocalDate, LocalTime, LocalDateTime (infinity as MAX/MIN)</td></tr>
 *   <tr><td>timestamptz</td><td>OffsetDateTime in UTC</td></tr>
 *   <tr><td>arrays of these</td><td>Java arrays: Integer[], String[][], ...</td></tr>
 *   <tr><td>anything else</td><td>String: the server's text form</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> immutable once built; any thread.
 */
public final class Row {
    private final Columns columns;
    private final Object[] values;

    /**
     * For the driver: a row over {@code values}, which it hands over.
     *
     * @param columns the result's columns
     * @param values one value per column
     */
    public Row(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /** @return the columns */
    public Columns columns() {
        return columns;
    }

    /** @return the number of values */
    public int size() {
        return values.length;
    }

    /** @param i a 0-based column index @return the value, or null for SQL NULL */
    public Object get(int i) {
        return values[i];
    }

    /** @param name a column label @return the value, or null for SQL NULL */
    public Object get(String name) {
        return values[columns.indexOf(name)];
    }

    /**
     * @param <T> the wanted type
     * @param i a 0-based column index
     * @param type the wanted class
     * @return the value cast to {@code type}
     * @throws ClassCastException when the value is of another class
     */
    public <T> T get(int i, Class<T> type) {
        return type.cast(values[i]);
    }

    /** @param i a 0-based column index @return whether the value is SQL NULL */
    public boolean isNull(int i) {
        return values[i] == null;
    }

    /** @param i a 0-based index @return an integer column (int2/int4 widened), or null */
    public Integer getInteger(int i) {
        Object v = values[i];
        return v == null ? null : v instanceof Integer n ? n : ((Number) v).intValue();
    }

    /** @param name a column label @return see {@link #getInteger(int)} */
    public Integer getInteger(String name) {
        return getInteger(columns.indexOf(name));
    }

    /** @param i a 0-based index @return an integer column as a long, or null */
    public Long getLong(int i) {
        Object v = values[i];
        return v == null ? null : v instanceof Long n ? n : ((Number) v).longValue();
    }

    /** @param name a column label @return see {@link #getLong(int)} */
    public Long getLong(String name) {
        return getLong(columns.indexOf(name));
    }

    /** @param i a 0-based index @return a numeric column as a double, or null */
    public Double getDouble(int i) {
        Object v = values[i];
        return v == null ? null : ((Number) v).doubleValue();
    }

    /** @param i a 0-based index @return a boolean column, or null */
    public Boolean getBoolean(int i) {
        return (Boolean) values[i];
    }

    /**
     * @param i a 0-based index
     * @return a text column, or the text of any other value ({@code toString}), or null
     */
    public String getString(int i) {
        Object v = values[i];
        return v == null ? null : v instanceof String s ? s : v.toString();
    }

    /** @param name a column label @return see {@link #getString(int)} */
    public String getString(String name) {
        return getString(columns.indexOf(name));
    }

    /** @param i a 0-based index @return a numeric column, or null */
    public BigDecimal getBigDecimal(int i) {
        Object v = values[i];
        return v == null ? null : v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
    }

    /** @param i a 0-based index @return a uuid column, or null */
    public UUID getUuid(int i) {
        return (UUID) values[i];
    }

    /** @param i a 0-based index @return a bytea column, or null */
    public byte[] getBytes(int i) {
        return (byte[]) values[i];
    }

    /** @param i a 0-based index @return a date column, or null */
    public LocalDate getLocalDate(int i) {
        return (LocalDate) values[i];
    }

    /** @param i a 0-based index @return a time column, or null */
    public LocalTime getLocalTime(int i) {
        return (LocalTime) values[i];
    }

    /** @param i a 0-based index @return a timestamp column, or null */
    public LocalDateTime getLocalDateTime(int i) {
        return (LocalDateTime) values[i];
    }

    /** @param i a 0-based index @return a timestamptz column (UTC), or null */
    public OffsetDateTime getOffsetDateTime(int i) {
        return (OffsetDateTime) values[i];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Row[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(columns.get(i).name()).append('=').append(values[i]);
        }
        return sb.append(']').toString();
    }
}
