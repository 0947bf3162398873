package io.eventide.pg;

/**
 * One column of a result, from the RowDescription message.
 *
 * @param name the column's label
 * @param typeOid its type's OID (see {@code pg_type})
 * @param tableOid the table it comes from, or 0
 * @param attribute its attribute number in that table, or 0
 * @param typeModifier the type modifier (e.g. varchar length + 4), or -1
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record Column(String name, int typeOid, int tableOid, int attribute, int typeModifier) {
}
