package io.eventide.pg.internal;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpClient;
import io.eventide.pg.PgException;
import io.eventide.pg.PgOptions;
import io.eventide.pg.SslMode;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * TLS negotiation between the TCP connect and the startup message (protocol §54.2.10, "SSL Session
 * Encryption"): send SSLRequest, read the server's one-byte answer, and on {@code 'S'} put
 * eventide-core's TLS layer in front of the connection ({@link TcpClient#startTls}).
 *
 * <pre>
 *  disable, allow        no SSLRequest: plaintext
 *  prefer                'S' -> TLS, certificate not checked; 'N' -> plaintext
 *  require               'S' -> TLS, certificate not checked; 'N' -> 08001
 *  verify-ca             'S' -> TLS, chain checked against PgOptions.tls()'s trust; 'N' -> 08001
 *  verify-full           like verify-ca, and the host name must match the certificate
 * </pre>
 *
 * <p>A server that sends anything after its {@code 'S'} before the handshake is refused: those
 * bytes would be taken for part of the encrypted session (CVE-2021-23222, the buffer-stuffing attack
 * libpq fixed in 14.1). {@code allow} differs from libpq, which would retry with TLS when the server
 * refuses plaintext; here it is plaintext only.
 *
 * <p><b>Threading:</b> call on the connection's loop; the promise completes there.
 */
final class Tls {
    /** SSLRequest: length 8, then the code 1234 in the high 16 bits and 5679 in the low. */
    private static final int SSL_REQUEST_CODE = 80877103;

    private Tls() {
    }

    /**
     * @return {@code tcp} once it speaks what {@code options.sslMode()} asks (TLS or plaintext), or a
     *     {@link PgException}: 08001 when TLS is required but refused or fails, 08P01 when the server's
     *     answer breaks the protocol
     */
    static Promise<Connection> negotiate(EventLoop loop, Connection tcp, PgOptions options) {
        SslMode mode = options.sslMode();
        if (mode == SslMode.DISABLE || mode == SslMode.ALLOW) {
            return Promise.resolved(loop, tcp);
        }
        Promise<Connection> result = loop.promise();
        tcp.onClose(cause -> result.reject(new PgException(PgException.UNABLE_TO_CONNECT, options.host() + ":"
                + options.port() + " closed the connection during SSL negotiation", cause)));
        tcp.onData(in -> {
            if (result.isDone() || !in.hasRemaining()) {
                return;
            }
            byte answer = in.get();
            if (in.hasRemaining()) {
                fail(tcp, result, PgException.PROTOCOL_VIOLATION, "the server sent " + in.remaining()
                        + " bytes after its answer to SSLRequest; refused (CVE-2021-23222)");
                in.position(in.limit());
                return;
            }
            tcp.onData(ignored -> { }); // the TLS layer, then the session, take over reading
            switch (answer) {
                case 'S' -> TcpClient.startTls(tcp, options.host(), options.port(), options.effectiveTls())
                        .whenComplete((c, e) -> {
                            if (e != null) {
                                fail(tcp, result, PgException.UNABLE_TO_CONNECT, "TLS with " + options.host() + ":"
                                        + options.port() + " failed (sslmode=" + name(mode) + "): " + e.getMessage());
                            } else {
                                result.resolve(c);
                            }
                        });
                case 'N' -> {
                    if (mode.requiresTls()) {
                        fail(tcp, result, PgException.UNABLE_TO_CONNECT, options.host() + ":" + options.port()
                                + " does not support SSL, but sslmode=" + name(mode) + " requires it");
                    } else {
                        result.resolve(tcp);
                    }
                }
                default -> fail(tcp, result, PgException.PROTOCOL_VIOLATION,
                        "unexpected answer to SSLRequest: 0x" + Integer.toHexString(answer & 0xff));
            }
        });
        ByteBuffer request = ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST_CODE).flip();
        tcp.write(request);
        return result;
    }

    private static void fail(Connection tcp, Promise<Connection> result, String state, String message) {
        result.reject(new PgException(state, message, null));
        tcp.destroy();
    }

    private static String name(SslMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
