package io.eventide.http.websocket;

import io.eventide.core.EventideException;
import java.io.Serial;

/**
 * A WebSocket client could not open the connection: the server refused the upgrade (with
 * {@link #status()}), or its answer broke RFC 6455 §4.1 (wrong accept key, unoffered subprotocol or
 * extension).
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class WebSocketException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;
    private final int status;

    /**
     * @param message what went wrong
     * @param status the HTTP status the server answered, or -1
     */
    public WebSocketException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** @return the HTTP status of the server's answer, or -1 if there was none */
    public int status() {
        return status;
    }
}
