package io.eventide.pg;

/**
 * libpq's {@code sslmode}. TLS itself comes from eventide-core's TLS layer; until a build has it,
 * {@link #DISABLE}, {@link #ALLOW} and {@link #PREFER} connect in plaintext and the modes that
 * demand TLS fail the connection with a clear error instead of silently going without it.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public enum SslMode {
    /** Never TLS. */
    DISABLE,
    /** Plaintext first, TLS if the server insists (without a TLS layer: plaintext). */
    ALLOW,
    /** TLS if the server offers it, else plaintext (without a TLS layer: plaintext). */
    PREFER,
    /** TLS or no connection; the certificate is not checked. */
    REQUIRE,
    /** TLS with the server certificate checked against trusted CAs. */
    VERIFY_CA,
    /** Like {@link #VERIFY_CA}, and the host name must match the certificate. */
    VERIFY_FULL;

    /** @return whether a connection without TLS must be refused */
    public boolean requiresTls() {
        return this == REQUIRE || this == VERIFY_CA || this == VERIFY_FULL;
    }
}
