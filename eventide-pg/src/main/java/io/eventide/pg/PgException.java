package io.eventide.pg;

import io.eventide.core.EventideException;
import java.io.Serial;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A failure reported by PostgreSQL (an ErrorResponse) or by the client for a PostgreSQL reason
 * (connection lost, protocol violation, authentication refused), with its SQLSTATE and every field
 * the server sent.
 *
 * <table>
 *   <caption>Client-side SQLSTATEs</caption>
 *   <tr><th>SQLSTATE</th><th>when</th></tr>
 *   <tr><td>08001</td><td>the connection could not be established</td></tr>
 *   <tr><td>08006</td><td>the connection was lost with the statement in flight</td></tr>
 *   <tr><td>08P01</td><td>the server sent something the protocol does not allow</td></tr>
 *   <tr><td>28000</td><td>authentication failed on the client side (e.g. a SCRAM server signature
 *       that does not match)</td></tr>
 *   <tr><td>57014</td><td>the statement was cancelled before it was sent or run</td></tr>
 * </table>
 *
 * <p>Field codes are the protocol's ({@code 'S'} severity, {@code 'C'} code, {@code 'M'} message,
 * {@code 'D'} detail, {@code 'H'} hint, {@code 'P'} position, ...); {@link #fields()} has them all.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class PgException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Connection lost while a statement was in flight. */
    public static final String CONNECTION_FAILURE = "08006";
    /** Could not connect. */
    public static final String UNABLE_TO_CONNECT = "08001";
    /** Protocol violation. */
    public static final String PROTOCOL_VIOLATION = "08P01";
    /** Statement cancelled ({@code query_canceled}). */
    public static final String QUERY_CANCELED = "57014";
    /** Authentication failed. */
    public static final String INVALID_AUTHORIZATION = "28000";

    private final String sqlState;
    private final Map<Character, String> fields;
    private final boolean fromServer;

    /**
     * An error the server reported.
     *
     * @param fields the ErrorResponse fields by code
     * @return the exception
     */
    public static PgException fromServer(Map<Character, String> fields) {
        String msg = fields.getOrDefault('S', "ERROR") + ": " + fields.getOrDefault('M', "(no message)")
                + " (SQLSTATE " + fields.getOrDefault('C', "?????") + ")";
        return new PgException(msg, fields.getOrDefault('C', "XX000"), fields, true, null);
    }

    /**
     * An error the client raises for a PostgreSQL reason.
     *
     * @param sqlState the SQLSTATE that classifies it
     * @param message what happened
     * @param cause the underlying failure, or null
     */
    public PgException(String sqlState, String message, Throwable cause) {
        this(message + " (SQLSTATE " + sqlState + ")", sqlState, Map.of('C', sqlState, 'M', message), false, cause);
    }

    private PgException(String text, String sqlState, Map<Character, String> fields, boolean fromServer,
            Throwable cause) {
        super(text, cause);
        this.sqlState = sqlState;
        this.fields = Collections.unmodifiableMap(new TreeMap<>(fields));
        this.fromServer = fromServer;
    }

    /** @return the SQLSTATE, e.g. {@code 23505} for a unique violation */
    public String sqlState() {
        return sqlState;
    }

    /** @return whether the server sent this error (false: the client raised it) */
    public boolean isFromServer() {
        return fromServer;
    }

    /** @return every field, by protocol code */
    public Map<Character, String> fields() {
        return fields;
    }

    /** @param code a field code, e.g. {@code 'D'} @return the field, or null */
    public String field(char code) {
        return fields.get(code);
    }

    /** @return the severity (ERROR, FATAL, PANIC), not localised when the server sent it ('V') */
    public String severity() {
        return fields.getOrDefault('V', fields.get('S'));
    }

    /** @return the primary message */
    public String serverMessage() {
        return fields.get('M');
    }

    /** @return the detail, or null */
    public String detail() {
        return fields.get('D');
    }

    /** @return the hint, or null */
    public String hint() {
        return fields.get('H');
    }

    /** @return the 1-based character position in the statement, or null */
    public String position() {
        return fields.get('P');
    }

    /** @return the context (call stack of PL functions), or null */
    public String where() {
        return fields.get('W');
    }

    /** @return the schema name, or null */
    public String schema() {
        return fields.get('s');
    }

    /** @return the table name, or null */
    public String table() {
        return fields.get('t');
    }

    /** @return the column name, or null */
    public String column() {
        return fields.get('c');
    }

    /** @return the data type name, or null */
    public String dataType() {
        return fields.get('d');
    }

    /** @return the constraint name, or null */
    public String constraint() {
        return fields.get('n');
    }

    /** @return the server source routine, or null */
    public String routine() {
        return fields.get('R');
    }

    /**
     * @return whether the connection this came from cannot be trusted any more: connection errors
     *     (08xxx), administrator shutdown (57P01 and the rest of 57P), a read-only transaction
     *     forced by a failover ({@code 25006}), or a FATAL/PANIC severity
     */
    public boolean isConnectionFatal() {
        String sev = severity();
        return sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("25006")
                || "FATAL".equals(sev) || "PANIC".equals(sev);
    }
}
