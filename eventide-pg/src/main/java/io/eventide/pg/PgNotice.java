package io.eventide.pg;

import java.util.Map;

/**
 * A NoticeResponse (a WARNING, NOTICE, INFO, LOG or DEBUG message) the server sent, at any time.
 *
 * @param fields the fields by protocol code ({@code 'S'} severity, {@code 'C'} SQLSTATE,
 *     {@code 'M'} message, ...)
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record PgNotice(Map<Character, String> fields) {
    /** Copies the fields. */
    public PgNotice {
        fields = Map.copyOf(fields);
    }

    /** @return the severity, e.g. NOTICE or WARNING */
    public String severity() {
        return fields.getOrDefault('V', fields.get('S'));
    }

    /** @return the SQLSTATE */
    public String sqlState() {
        return fields.get('C');
    }

    /** @return the message */
    public String message() {
        return fields.get('M');
    }
}
