package io.eventide.core.dns;

import io.eventide.core.EventideException;
import java.io.Serial;

/**
 * A name could not be resolved. {@link #code()} says why: the name does not exist
 * ({@link Code#NXDOMAIN}), exists without addresses of the asked family ({@link Code#NODATA}), the
 * servers failed or refused, or did not answer in time.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class DnsException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Why a lookup failed. */
    public enum Code {
        /** The name does not exist (RCODE 3): an authoritative answer, cached as negative. */
        NXDOMAIN,
        /** The name exists but has no address of the asked family. */
        NODATA,
        /** The server could not answer (RCODE 2). */
        SERVFAIL,
        /** The server refused to answer (RCODE 5). */
        REFUSED,
        /** No server answered within the timeout, after every retry. */
        TIMEOUT,
        /** The answer was malformed, or the server rejected our query as malformed. */
        BAD_RESPONSE,
        /** The name itself is not a valid DNS name. */
        BAD_NAME,
        /** The JDK's resolver (the configured fallback) failed. */
        JDK_FAILED
    }

    private final Code code;
    private final String host;

    /**
     * @param code why
     * @param host the name asked for
     * @param message what failed, naming the host and what was tried
     * @param cause the underlying failure, or null
     */
    public DnsException(Code code, String host, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.host = host;
    }

    /** @return why the lookup failed */
    public Code code() {
        return code;
    }

    /** @return the name that was asked for */
    public String host() {
        return host;
    }
}
