package io.eventide.core;

import java.io.Serial;

/**
 * A bounded resource is full (worker queue, connection cap, write budget) and the work was refused
 * rather than queued without bound. Callers should shed load (HTTP 503) or retry later.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class OverloadException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message which limit was reached and its configured value
     */
    public OverloadException(String message) {
        super(message);
    }
}
