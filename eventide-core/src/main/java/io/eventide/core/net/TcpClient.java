package io.eventide.core.net;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import io.eventide.core.internal.io.Sock;
import io.eventide.core.internal.io.Transports;
import io.eventide.core.dns.Resolver;
import io.eventide.core.spi.IoHandler;
import io.eventide.core.tls.ClientTls;
import io.eventide.core.tls.TlsException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.util.Objects;

/**
 * Opens TCP connections from a loop: Node's {@code net.connect}.
 *
 * <pre>{@code
 * TcpClient.connect(loop, "127.0.0.1", 7000, TcpOptions.defaults())
 *          .then(conn -> conn.write(ByteBuffer.wrap("hi".getBytes())));
 * }</pre>
 *
 * <p>Host names are resolved without blocking by the group's {@link Resolver} (Eventide's own DNS
 * resolver unless another was installed, see {@link Resolver#of}), or the one passed in; a name
 * with addresses of both families is connected with Happy Eyeballs (RFC 8305, see
 * {@link HappyEyeballs}). IP literals are connected directly.
 *
 * <p><b>Threading:</b> any thread; the connection belongs to {@code loop} and the promise completes
 * there.
 */
public final class TcpClient {
    private TcpClient() {
    }

    /**
     * @param loop the loop that will own the connection
     * @param host peer host
     * @param port peer port
     * @param options settings (connect timeout, watermarks, ...)
     * @return the connection once established, or the failure (refused, timed out, unresolvable)
     */
    public static Promise<Connection> connect(EventLoop loop, String host, int port, TcpOptions options) {
        return connect(loop, host, port, options, (Resolver) null);
    }

    /**
     * @param loop the loop that will own the connection
     * @param host peer host name or IP literal
     * @param port peer port
     * @param options settings (connect timeout, watermarks, ...)
     * @param resolver resolves {@code host}; null for the group's ({@link Resolver#of})
     * @return the connection once established, or the failure: refused, timed out, or a
     *     {@link io.eventide.core.dns.DnsException} (e.g. NXDOMAIN) when the name does not resolve
     */
    public static Promise<Connection> connect(EventLoop loop, String host, int port, TcpOptions options,
            Resolver resolver) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        if (port < 0 || port > 0xFFFF) {
            // A programming error: thrown here, not on the loop where the promise would never settle.
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Promise<Connection> result = loop.promise();
        InetAddress literal = literal(host);
        if (literal != null) {
            loop.execute(() -> start(loop, new InetSocketAddress(literal, port), options, result));
        } else {
            Resolver r = resolver != null ? resolver : Resolver.of(loop.group());
            loop.execute(() -> HappyEyeballs.connect(loop, host, port, options, r, result));
        }
        return result;
    }

    /**
     * Connects, then runs a TLS handshake: SNI and the certificate check use {@code host}.
     *
     * <pre>{@code
     * TcpClient.connect(loop, "example.com", 443, TcpOptions.defaults(), ClientTls.defaults())
     *          .then(conn -> conn.write(request));   // plaintext in, TLS records out
     * }</pre>
     *
     * @param loop the loop that will own the connection
     * @param host peer host name (checked against its certificate) or IP literal
     * @param port peer port
     * @param options TCP settings
     * @param tls trust, host name check, client certificate, ALPN
     * @return the connection once its handshake is done ({@link Connection#tls()} says what was
     *     agreed), or the failure: a {@link TlsException} for a rejected handshake (untrusted,
     *     expired or wrong-host certificate), a timeout, or a TCP/DNS failure
     */
    public static Promise<Connection> connect(EventLoop loop, String host, int port, TcpOptions options, ClientTls tls) {
        Objects.requireNonNull(tls, "tls");
        return connect(loop, host, port, options).flatMap(c -> startTls(c, host, port, tls));
    }

    /**
     * Switches an open plaintext client connection to TLS and runs the handshake: the STARTTLS
     * pattern of protocols that negotiate encryption in plaintext first (PostgreSQL's SSLRequest,
     * SMTP, IMAP). Call it once the peer has agreed and before any further byte is read or written:
     * bytes the peer sent in plaintext after its answer must be treated as an attack (they would be
     * taken for part of the encrypted session; CVE-2021-23222), so check for them first. Until the
     * promise settles a close rejects it; the caller installs its own handlers afterwards.
     * Loop-only: call on {@code c}'s loop.
     *
     * @param c an open client connection with no TLS yet
     * @param host the host name (SNI, and the name checked if {@code tls} checks names)
     * @param port the peer's port
     * @param tls trust, host name check, client certificate
     * @return {@code c} once its handshake is done ({@link Connection#tls()} says what was agreed), or
     *     a {@link TlsException} (rejected certificate, timeout, the peer hanging up)
     */
    public static Promise<Connection> startTls(Connection c, String host, int port, ClientTls tls) {
        Objects.requireNonNull(tls, "tls");
        if (!c.loop().inLoop()) {
            throw new IllegalStateException("TcpClient.startTls must be called on " + c.loop().name() + ", not on "
                    + Thread.currentThread().getName());
        }
        if (c.tlsStarted()) {
            throw new IllegalStateException(c + " already speaks TLS");
        }
        Promise<Connection> done = c.loop().promise();
        // Until the handshake resolves the promise, a close (a rejected certificate, a timeout, the
        // server hanging up) rejects it. The application replaces this handler once it has c.
        c.onClose(cause -> done.reject(cause instanceof EventideException ee ? ee
                : new TlsException("connection to " + host + ":" + port + " closed during the TLS handshake", cause)));
        try {
            c.startTls(tls.newEngine(host, port), tls.handshakeTimeout(), TlsCounters.NONE, host, info -> done.resolve(c));
        } catch (RuntimeException e) {
            c.destroy(e);
        }
        return done;
    }

    /**
     * @param loop the loop that will own the connection
     * @param host peer host
     * @param port peer port
     * @return like {@link #connect(EventLoop, String, int, TcpOptions)} with default options
     */
    public static Promise<Connection> connect(EventLoop loop, String host, int port) {
        return connect(loop, host, port, TcpOptions.defaults());
    }

    /**
     * An IPv4 dotted quad or an IPv6 literal, parsed without any lookup; null for anything else,
     * including names made only of hex letters such as {@code cafe} or {@code dead.beef}.
     */
    private static InetAddress literal(String host) {
        return io.eventide.core.dns.internal.Hosts.parseAddress(host);
    }

    /** Starts one connection attempt to {@code addr}; the returned connector can abort it. */
    static Connector start(EventLoop loop, InetSocketAddress addr, TcpOptions options, Promise<Connection> result) {
        Sock ch;
        try {
            ch = Transports.poller(loop).openStream(addr.getAddress());
        } catch (IOException e) {
            result.reject(new EventideException("cannot open a socket: " + e, e));
            return null;
        }
        try {
            ch.noDelay(options.noDelay());
            if (options.keepAlive()) {
                ch.keepAlive(true);
            }
        } catch (IOException e) {
            ch.close();
            result.reject(new EventideException("cannot open a socket: " + e, e));
            return null;
        }
        Connection c = new Connection(loop, ch, options, conn -> { });
        Connector connector = new Connector(loop, ch, c, addr, result);
        try {
            if (ch.connect(addr)) {
                connector.established();
            } else {
                ch.register(Transports.poller(loop), SelectionKey.OP_CONNECT, connector);
                connector.registered = true;
                connector.timer = loop.setTimeout(options.connectTimeout(), connector::timedOut);
            }
        } catch (IOException | RuntimeException e) {
            // RuntimeException: UnresolvedAddressException and friends. Escaping to the loop they
            // would leave the promise pending forever and the socket open.
            connector.failed(e);
        }
        return connector;
    }

    /** Owns the socket until the connection is established, then hands it to the Connection. */
    static final class Connector implements IoHandler {
        private final EventLoop loop;
        private final Sock channel;
        private final Connection connection;
        private final InetSocketAddress addr;
        private final Promise<Connection> result;
        private boolean registered;
        private Timer timer;

        Connector(EventLoop loop, Sock channel, Connection connection, InetSocketAddress addr,
                Promise<Connection> result) {
            this.loop = loop;
            this.channel = channel;
            this.connection = connection;
            this.addr = addr;
            this.result = result;
        }

        @Override
        public void ready(int ops) {
            try {
                if (channel.finishConnect()) {
                    established();
                }
            } catch (IOException e) {
                failed(e);
            }
        }

        void established() throws IOException {
            if (timer != null) {
                timer.cancel();
            }
            if (registered) {
                // Hand the same registration over: cancelling and re-registering would fail until
                // the next select flushed the cancellation.
                connection.adopt(SelectionKey.OP_READ);
            } else {
                connection.open(SelectionKey.OP_READ);
            }
            result.resolve(connection);
        }

        void timedOut() {
            failed(new DeadlineExceededException("connect to " + addr + " timed out (connect-timeout)"));
        }

        /** Gives up this attempt (another one won the race): closes the socket, rejects with {@code why}. */
        void abort(String why) {
            if (!result.isDone()) {
                failed(new EventideException(why));
            }
        }

        void failed(Exception e) {
            if (timer != null) {
                timer.cancel();
            }
            channel.close(); // the connect already failed; the close failing adds nothing
            result.reject(e instanceof EventideException ee ? ee
                    : new EventideException("connect to " + addr + " failed: " + e.getMessage(), e));
        }

        @Override
        public void forceClose() {
            failed(new EventideException("loop closing"));
        }

        @Override
        public String handlerName() {
            return "tcp-connect:" + addr;
        }
    }
}
