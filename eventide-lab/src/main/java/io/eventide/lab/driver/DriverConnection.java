package io.eventide.lab.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection of a driver: its channel, its response parser, and the request in flight.
 * Also opens many of them at once with a bounded number of connects outstanding, so that a burst
 * of 15,000 connects does not overflow the server's SYN queue and measure retransmission timers.
 *
 * <p><b>Threading:</b> confined to the driver's thread.
 */
final class DriverConnection {
    /** Connects outstanding at once while opening many connections. */
    static final int MAX_PENDING_CONNECTS = 256;

    final SocketChannel channel;
    final ResponseParser parser = new ResponseParser();
    SelectionKey key;
    /** Unwritten rest of the current request, or null. */
    ByteBuffer pending;
    /** When the request in flight was due (nanoTime), or -1 when the connection is idle. */
    long intended = -1;
    /** Index of the request in flight in the driver's mix. */
    int label;

    private DriverConnection(SocketChannel channel) {
        this.channel = channel;
    }

    boolean isBusy() {
        return intended >= 0;
    }

    /** Writes what it can of {@code request}; keeps the rest and asks for OP_WRITE. */
    void send(ByteBuffer request) throws IOException {
        channel.write(request);
        if (request.hasRemaining()) {
            pending = request;
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /** Continues a partial write after OP_WRITE. */
    void flush() throws IOException {
        if (pending != null) {
            channel.write(pending);
            if (!pending.hasRemaining()) {
                pending = null;
                key.interestOps(SelectionKey.OP_READ);
            }
        }
    }

    void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket we are done with: nothing left to report.
        }
    }

    /**
     * Opens {@code count} connections to {@code address}, registered with {@code selector} for
     * OP_READ, with at most {@value #MAX_PENDING_CONNECTS} connects outstanding. Failed connects are
     * retried until {@code 2 * count} attempts were made or the deadline passes.
     *
     * @return the connections that are established (possibly fewer than asked)
     */
    static List<DriverConnection> open(Selector selector, InetSocketAddress address, int count,
            long deadlineNanos) throws IOException {
        List<DriverConnection> done = new ArrayList<>(count);
        int attempts = 0;
        int pending = 0;
        while (done.size() < count && System.nanoTime() < deadlineNanos) {
            while (pending < MAX_PENDING_CONNECTS && done.size() + pending < count && attempts < 2 * count) {
                attempts++;
                DriverConnection c = start(selector, address);
                if (c == null) {
                    continue;
                }
                if (c.channel.isConnected()) {
                    c.key.interestOps(SelectionKey.OP_READ);
                    done.add(c);
                } else {
                    pending++;
                }
            }
            if (pending == 0) {
                break; // every attempt is spent
            }
            selector.select(100);
            for (SelectionKey k : selector.selectedKeys()) {
                DriverConnection c = (DriverConnection) k.attachment();
                if (k.isValid() && k.isConnectable()) {
                    pending--;
                    if (c.finish()) {
                        done.add(c);
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        for (SelectionKey k : selector.keys()) {
            DriverConnection c = (DriverConnection) k.attachment();
            if (c != null && !c.channel.isConnected()) {
                c.close(); // still connecting at the deadline
            }
        }
        return done;
    }

    /** Starts a connect; returns the connection, or null when the socket could not be opened. */
    static DriverConnection start(Selector selector, InetSocketAddress address) throws IOException {
        SocketChannel ch = SocketChannel.open();
        DriverConnection c = new DriverConnection(ch);
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean now = ch.connect(address);
            c.key = ch.register(selector, now ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
            return c;
        } catch (IOException e) {
            c.close();
            return null;
        }
    }

    /** Completes a connect after OP_CONNECT. @return false when it failed (and was closed) */
    boolean finish() {
        try {
            if (channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_READ);
                return true;
            }
            return false;
        } catch (IOException e) {
            close();
            return false;
        }
    }
}
