package io.eventide.bus;

import io.eventide.core.EventideException;
import java.io.Serial;

/**
 * An operational failure of the bus or of a broker bridge: no handler for an address, a message
 * the broker refused (nack, unroutable return), a lost connection, a body that does not decode.
 * Overload (a full queue, a blocked broker) is reported as {@link io.eventide.core.OverloadException}
 * and a request without a reply in time as {@link io.eventide.core.DeadlineExceededException}.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public class BusException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with its context
     */
    public BusException(String message) {
        super(message);
    }

    /**
     * @param message what failed, with its context
     * @param cause the underlying failure
     */
    public BusException(String message, Throwable cause) {
        super(message, cause);
    }
}
