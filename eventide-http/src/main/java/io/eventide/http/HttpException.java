package io.eventide.http;

import io.eventide.core.EventideException;
import java.io.Serial;

/**
 * A failure with an HTTP status: throw it from a handler to answer that status, or receive it when
 * a request breaks a limit (413 body too large, 408 too slow, ...). {@link #safeMessage()} is what
 * the client may see; it never echoes the peer's bytes.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class HttpException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String safeMessage;

    /**
     * @param status the HTTP status, 400..599
     * @param safeMessage text safe to send to the client
     */
    public HttpException(int status, String safeMessage) {
        super(status + " " + safeMessage);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 4xx or 5xx: " + status);
        }
        this.status = status;
        this.safeMessage = safeMessage;
    }

    /**
     * @param status the HTTP status, 400..599
     * @param safeMessage text safe to send to the client
     * @param cause the underlying failure (logged, never sent)
     */
    public HttpException(int status, String safeMessage, Throwable cause) {
        this(status, safeMessage);
        initCause(cause);
    }

    /** @return the status to answer */
    public int status() {
        return status;
    }

    /** @return the message the client may see */
    public String safeMessage() {
        return safeMessage;
    }
}
