package io.eventide.core;

import java.io.Serial;

/**
 * A promise or an I/O operation did not complete before its deadline.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class DeadlineExceededException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what timed out and after how long
     */
    public DeadlineExceededException(String message) {
        super(message);
    }
}
