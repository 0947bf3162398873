package io.eventide.pg;

/**
 * libpq's {@code sslmode}: whether the connection asks the server for TLS (SSLRequest) and what it
 * checks. TLS is eventide-core's layer; trust for the verifying modes comes from
 * {@link PgOptions#tls}. A mode that demands TLS fails the connection with 08001 when the server
 * refuses it, before any credential is sent.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public enum SslMode {
    /** Never TLS. */
    DISABLE,
    /** Plaintext (libpq would retry with TLS if the server refused plaintext; eventide-pg does not). */
    ALLOW,
    /** TLS if the server offers it (certificate not checked), else plaintext. */
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
