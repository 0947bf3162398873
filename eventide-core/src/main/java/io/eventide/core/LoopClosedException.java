package io.eventide.core;

import java.io.Serial;

/**
 * Work was submitted to a loop that has terminated.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class LoopClosedException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message which loop and what was refused
     */
    public LoopClosedException(String message) {
        super(message);
    }
}
