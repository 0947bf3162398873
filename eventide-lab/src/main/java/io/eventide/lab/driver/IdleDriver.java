package io.eventide.lab.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds many idle keep-alive connections open, the way a chat or dashboard server's clients sit
 * between messages. Each connection makes one request when it opens (so the server has set up
 * whatever it keeps per HTTP connection) and then stays silent.
 *
 * <pre>{@code
 * try (IdleDriver idle = new IdleDriver("127.0.0.1", port)) {
 *     idle.growTo(1_000, Duration.ofSeconds(30));   // 1,000 open, each answered once
 *     // ... measure the server ...
 *     idle.growTo(5_000, Duration.ofSeconds(30));   // 4,000 more
 *     int stillOpen = idle.alive();                  // the server closed none of them?
 * }
 * }</pre>
 *
 * <p><b>Threading:</b> confined to the thread that created it; {@link #growTo} blocks.
 */
public final class IdleDriver implements AutoCloseable {
    private final InetSocketAddress address;
    private final Selector selector;
    private final byte[] request;
    private final List<DriverConnection> held = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);

    /**
     * @param host server address
     * @param port server port
     * @throws IOException when no selector can be opened
     */
    public IdleDriver(String host, int port) throws IOException {
        this.address = new InetSocketAddress(host, port);
        this.selector = Selector.open();
        this.request = ("GET /plaintext HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Opens connections until {@code target} are held, each answered once.
     *
     * @param target connections to hold in total
     * @param timeout bound on the whole step
     * @return connections held (fewer than {@code target} when connects or requests failed)
     * @throws IOException when the selector fails
     */
    public int growTo(int target, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int missing = target - held.size();
        if (missing <= 0) {
            return held.size();
        }
        List<DriverConnection> fresh = DriverConnection.open(selector, address, missing, deadline);
        int waiting = 0;
        for (DriverConnection c : fresh) {
            c.intended = 0;
            try {
                c.send(ByteBuffer.wrap(request));
                waiting++;
            } catch (IOException e) {
                c.close();
                c.intended = -1;
            }
        }
        while (waiting > 0 && System.nanoTime() < deadline) {
            selector.select(100);
            for (SelectionKey k : selector.selectedKeys()) {
                DriverConnection c = (DriverConnection) k.attachment();
                boolean wasBusy = c.isBusy();
                pump(c, k);
                if (wasBusy && (!c.isBusy() || !c.channel.isOpen())) {
                    waiting--;
                }
            }
            selector.selectedKeys().clear();
        }
        for (DriverConnection c : fresh) {
            if (c.channel.isOpen() && !c.isBusy()) {
                held.add(c);
            } else {
                c.close();
            }
        }
        return held.size();
    }

    private void pump(DriverConnection c, SelectionKey k) {
        try {
            if (!k.isValid()) {
                return;
            }
            if (k.isWritable()) {
                c.flush();
            }
            if (k.isReadable()) {
                readBuffer.clear();
                if (c.channel.read(readBuffer) < 0) {
                    c.close();
                    return;
                }
                readBuffer.flip();
                c.parser.feed(readBuffer, (status, close) -> c.intended = -1);
            }
        } catch (IOException e) {
            c.close(); // reset, or not HTTP (ProtocolException): the connection is gone either way
        }
    }

    /**
     * Checks which held connections the server has closed, and forgets them.
     *
     * @return connections still open
     * @throws IOException when the selector fails
     */
    public int alive() throws IOException {
        selector.selectNow();
        for (SelectionKey k : selector.selectedKeys()) {
            pump((DriverConnection) k.attachment(), k);
        }
        selector.selectedKeys().clear();
        held.removeIf(c -> !c.channel.isOpen());
        return held.size();
    }

    /** @return connections held */
    public int size() {
        return held.size();
    }

    /** Closes every connection and the selector. */
    @Override
    public void close() {
        for (DriverConnection c : held) {
            c.close();
        }
        held.clear();
        try {
            selector.close();
        } catch (IOException e) {
            // Nothing is registered any more; a failing close has nothing left to lose.
        }
    }
}
