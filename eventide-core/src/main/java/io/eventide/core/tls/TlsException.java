package io.eventide.core.tls;

import io.eventide.core.EventideException;
import java.io.Serial;

/**
 * A TLS failure: a handshake the peer or we rejected (untrusted, expired or wrong-host
 * certificate, no common protocol), plaintext sent to a TLS port, a refused renegotiation, or key
 * material that cannot be loaded. The message names what failed and, for files, which file; it
 * never echoes bytes the peer sent.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class TlsException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what failed, with its context */
    public TlsException(String message) {
        super(message);
    }

    /**
     * @param message what failed, with its context
     * @param cause the underlying failure (often an {@link javax.net.ssl.SSLException})
     */
    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
