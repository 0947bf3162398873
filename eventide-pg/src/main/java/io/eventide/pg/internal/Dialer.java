package io.eventide.pg.internal;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpClient;
import io.eventide.core.net.TcpOptions;
import io.eventide.pg.PgException;
import io.eventide.pg.PgOptions;
import io.eventide.pg.internal.codec.Wire;

/**
 * Opens sessions: TCP connect, the TLS seam ({@link Tls}), startup and authentication until the
 * first ReadyForQuery, under one {@code connectTimeout}; and sends CancelRequests, which take a
 * connection of their own.
 *
 * <p><b>Threading:</b> call on {@code loop}; promises complete there.
 */
public final class Dialer {
    private static final System.Logger LOG = System.getLogger("io.eventide.pg");

    private Dialer() {
    }

    /**
     * Connects, authenticates and waits for the first ReadyForQuery.
     *
     * @param loop the owning loop
     * @param options settings
     * @param secrets the pool's cache of SCRAM salted passwords
     * @return the ready connection, or a {@link PgException} (08001 for connect failures)
     */
    public static Promise<WireConnection> connect(EventLoop loop, PgOptions options, ServerMemory secrets) {
        boolean ask32 = options.askProtocol32() && !secrets.refuses32();
        Promise<WireConnection> result = loop.promise();
        attempt(loop, options, secrets, ask32).whenComplete((c, err) -> {
            if (err == null) {
                result.resolve(c);
            } else if (ask32 && err instanceof PgException pe && PgException.PROTOCOL_VIOLATION.equals(pe.sqlState())
                    && pe.isFromServer()) {
                // A server (or pooler) that does not know 3.2 and refuses it instead of negotiating.
                secrets.refuses32(true);
                attempt(loop, options, secrets, false).whenComplete((c2, err2) -> {
                    if (err2 != null) {
                        result.reject(err2);
                    } else {
                        result.resolve(c2);
                    }
                });
            } else {
                result.reject(err);
            }
        });
        return result;
    }

    private static Promise<WireConnection> attempt(EventLoop loop, PgOptions options, ServerMemory secrets, boolean ask32) {
        Promise<WireConnection> result = loop.promise();
        TcpOptions tcpOptions = TcpOptions.defaults().connectTimeout(options.connectTimeout()).noDelay(true);
        TcpClient.connect(loop, options.host(), options.port(), tcpOptions).whenComplete((tcp, err) -> {
            if (err != null) {
                result.reject(new PgException(PgException.UNABLE_TO_CONNECT, "cannot connect to " + options.host()
                        + ":" + options.port() + ": " + err.getMessage(), err));
                return;
            }
            Tls.negotiate(loop, tcp, options).whenComplete((conn, refused) -> {
                if (refused != null) {
                    result.reject(refused);
                } else {
                    startup(loop, options, secrets, ask32, conn, result);
                }
            });
        });
        return result;
    }

    private static void startup(EventLoop loop, PgOptions options, ServerMemory secrets, boolean ask32,
            Connection tcp, Promise<WireConnection> result) {
        WireConnection c = new WireConnection(loop, options, tcp);
        Timer deadline = loop.setTimeout(options.connectTimeout(), () -> c.destroy(new PgException(
                PgException.UNABLE_TO_CONNECT, "startup and authentication took longer than "
                + options.connectTimeout().toMillis() + " ms (connect-timeout)", null)));
        Promise<WireConnection> ready = loop.promise();
        ready.whenComplete((v, e) -> deadline.cancel());
        c.submit(new Startup(options, secrets, ask32, ready));
        ready.whenComplete((v, e) -> {
            if (e != null) {
                result.reject(e);
            } else {
                result.resolve(v);
            }
        });
    }

    /**
     * Sends a CancelRequest for backend {@code pid} over a new connection.
     *
     * @return settled when it was sent (or could not be: a cancel is best effort)
     */
    static Promise<Void> cancel(EventLoop loop, PgOptions options, int pid, byte[] key) {
        Promise<Void> done = loop.promise();
        if (key == null) {
            done.resolve(null);
            return done;
        }
        TcpClient.connect(loop, options.host(), options.port()).whenComplete((c, err) -> {
            if (err != null) {
                LOG.log(System.Logger.Level.DEBUG, "cancel request not sent: " + err);
                done.resolve(null);
                return;
            }
            Wire w = new Wire();
            Messages.cancel(w, pid, key);
            w.drainTo(c::write);
            c.onClose(e -> done.resolve(null));
            c.end();
        });
        return done;
    }
}
