package io.eventide.core;

import java.io.Serial;

/**
 * Root of every operational failure Eventide reports (I/O, timeout, protocol, overload). Programming
 * errors are thrown synchronously as {@link NullPointerException}, {@link IllegalArgumentException}
 * or {@link IllegalStateException} instead.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public class EventideException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with its context
     */
    public EventideException(String message) {
        super(message);
    }

    /**
     * @param message what failed, with its context
     * @param cause the underlying failure
     */
    public EventideException(String message, Throwable cause) {
        super(message, cause);
    }
}
