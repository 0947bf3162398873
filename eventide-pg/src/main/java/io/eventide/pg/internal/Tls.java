package io.eventide.pg.internal;

import io.eventide.pg.PgException;
import io.eventide.pg.PgOptions;

/**
 * The one place where a connection would switch to TLS, between the TCP connect and the startup
 * message: send SSLRequest, read the server's one-byte answer ('S' or 'N'), and on 'S' wrap the
 * {@code Connection} in eventide-core's TLS layer (DESIGN.md, "At the edges"). Core has that layer
 * (issue 13), but starts it only as part of a connect or an accept: switching an open plaintext
 * connection to TLS is package-private there, not yet an API this module can call. Until it is,
 * the modes that accept plaintext connect in plaintext and the modes that demand TLS are refused
 * here, before any credential is sent.
 */
final class Tls {
    private Tls() {
    }

    /** @return null to go on in plaintext, else the reason the connection must not be made */
    static Throwable upgrade(PgOptions options) {
        if (!options.sslMode().requiresTls()) {
            return null;
        }
        return new PgException(PgException.UNABLE_TO_CONNECT, "sslmode=" + options.sslMode().name().toLowerCase(
                java.util.Locale.ROOT).replace('_', '-') + " needs TLS, which eventide-pg does not speak yet; "
                + "use sslmode=disable or prefer on a trusted network", null);
    }
}
