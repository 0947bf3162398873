package io.eventide.core.net;

import java.nio.ByteBuffer;

/**
 * What speaks over a {@link Connection}: its handlers as one object, installed together with
 * {@link Connection#protocol(Protocol)}. A protocol switch (HTTP upgraded to WebSocket) is one call
 * that replaces every handler at once and hands over the bytes the old protocol read past its last
 * message ({@link Connection#protocol(Protocol, ByteBuffer)}), instead of handler slots replaced one
 * by one with a window in between where the old protocol's close or drain handler could still run.
 *
 * <pre>{@code
 * final class Echo implements Protocol {
 *     private final Connection conn;
 *     Echo(Connection conn) { this.conn = conn; }
 *     public void onData(ByteBuffer buf) { if (!conn.write(buf)) conn.pause(); }
 *     public void onDrain() { conn.resume(); }
 * }
 * server handler: conn -> conn.protocol(new Echo(conn))
 * }</pre>
 *
 * <p><b>Threading:</b> loop-confined: every method is called on the connection's loop.
 */
public interface Protocol {
    /** @return shown by the watchdog and in logs as the connection's label */
    default String name() {
        return "tcp";
    }

    /**
     * Called once, right after this protocol was installed and before any byte reaches it.
     *
     * @param connection the connection it now speaks over
     */
    default void attached(Connection connection) {
    }

    /**
     * @param buf bytes read, valid only during the call: consume them or copy what you keep
     */
    void onData(ByteBuffer buf);

    /** The peer half-closed (FIN, or TLS close_notify). */
    default void onEnd() {
    }

    /** The write queue drained below the low watermark after a write returned false. */
    default void onDrain() {
    }

    /** @param cause why it closed, or null for a clean close; called once */
    default void onClose(Throwable cause) {
    }

    /**
     * The server is closing gracefully: finish the way this protocol says goodbye (a WebSocket
     * sends 1001). Default: {@link Connection#end()}.
     *
     * @param connection the connection
     */
    default void onShutdown(Connection connection) {
        connection.end();
    }
}
