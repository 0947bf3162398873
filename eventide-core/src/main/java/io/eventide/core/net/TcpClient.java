package io.eventide.core.net;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * Opens TCP connections from a loop: Node's {@code net.connect}.
 *
 * <pre>{@code
 * TcpClient.connect(loop, "127.0.0.1", 7000, TcpOptions.defaults())
 *          .then(conn -> conn.write(ByteBuffer.wrap("hi".getBytes())));
 * }</pre>
 *
 * <p>Host names other than IP literals and {@code localhost} are resolved on the worker pool, since
 * {@link InetAddress#getByName} blocks.
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
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        if (port < 0 || port > 0xFFFF) {
            // A programming error: thrown here, not on the loop where the promise would never settle.
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Promise<Connection> result = loop.promise();
        if (isLiteralOrLocal(host)) {
            loop.execute(() -> start(loop, new InetSocketAddress(host, port), options, result));
        } else {
            // onSuccess/onFailure rather than whenComplete: the latter's derived promise, rejected
            // with nobody listening, would be reported as an unhandled rejection on top of ours.
            // Listened to from the loop, so the listeners are in place before a fast failure lands.
            loop.execute(() -> loop.offload(() -> InetAddress.getByName(host))
                    .onSuccess(addr -> start(loop, new InetSocketAddress(addr, port), options, result))
                    .onFailure(err -> result.reject(new EventideException("cannot resolve " + host + ": " + err, err))));
        }
        return result;
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
     * Whether {@code host} needs no lookup: an IPv4 literal (digits and dots), an IPv6 literal (host
     * names never contain ':') or localhost. Anything else, including names made only of hex letters
     * such as {@code cafe} or {@code dead.beef}, is resolved on a worker, never on the loop.
     */
    private static boolean isLiteralOrLocal(String host) {
        if (host.equals("localhost") || host.indexOf(':') >= 0) {
            return true;
        }
        return !host.isEmpty() && host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }

    private static void start(EventLoop loop, InetSocketAddress addr, TcpOptions options, Promise<Connection> result) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
            if (options.keepAlive()) {
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            }
        } catch (IOException e) {
            result.reject(new EventideException("cannot open a socket: " + e, e));
            return;
        }
        Connection c = new Connection(loop, ch, options, conn -> { });
        Connector connector = new Connector(loop, ch, c, addr, result);
        try {
            if (ch.connect(addr)) {
                connector.established();
            } else {
                connector.key = loop.register(ch, SelectionKey.OP_CONNECT, connector);
                connector.timer = loop.setTimeout(options.connectTimeout(), connector::timedOut);
            }
        } catch (IOException | RuntimeException e) {
            // RuntimeException: UnresolvedAddressException and friends. Escaping to the loop they
            // would leave the promise pending forever and the socket open.
            connector.failed(e);
        }
    }

    /** Owns the socket until the connection is established, then hands it to the Connection. */
    private static final class Connector implements IoHandler {
        private final EventLoop loop;
        private final SocketChannel channel;
        private final Connection connection;
        private final InetSocketAddress addr;
        private final Promise<Connection> result;
        private SelectionKey key;
        private Timer timer;

        Connector(EventLoop loop, SocketChannel channel, Connection connection, InetSocketAddress addr,
                Promise<Connection> result) {
            this.loop = loop;
            this.channel = channel;
            this.connection = connection;
            this.addr = addr;
            this.result = result;
        }

        @Override
        public void ready(SelectionKey k, int ops) {
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
            if (key != null) {
                // Hand the same key over: cancelling and re-registering would fail until the next
                // select flushed the cancellation.
                connection.adopt(key, SelectionKey.OP_READ);
            } else {
                connection.open(SelectionKey.OP_READ);
            }
            result.resolve(connection);
        }

        void timedOut() {
            failed(new DeadlineExceededException("connect to " + addr + " timed out (connect-timeout)"));
        }

        void failed(Exception e) {
            if (timer != null) {
                timer.cancel();
            }
            if (key != null) {
                key.cancel();
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // The connect already failed; the close failing adds nothing.
            }
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
