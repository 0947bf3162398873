package io.eventide.core.internal.io;

import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A non-blocking socket of either transport: what TCP connections, listeners, connectors and DNS
 * queries read, write and register. Interest and ready sets use {@link java.nio.channels.SelectionKey}'s
 * bits ({@code OP_READ}, {@code OP_WRITE}, {@code OP_CONNECT}, {@code OP_ACCEPT}) on both: the
 * epoll transport is edge-triggered inside but reports readiness as a selector does (level
 * semantics), so handlers need not know which one carries them.
 *
 * <p>Reads and writes never block: {@link #read} returns 0 and {@link #write} a short count when
 * the socket has nothing or no room; {@code -1} from {@code read} is the peer's end of stream.
 *
 * <p><b>Threading:</b> loop-confined once registered; before that, the thread that opened it (or
 * the loop it is handed to).
 */
public interface Sock {

    /**
     * Registers with a loop's poller. On that loop's thread. A socket registers once.
     *
     * @param poller the loop's poller, of the transport that opened this socket
     * @param ops initial interest
     * @param handler called when the socket is ready
     * @throws IOException if it cannot be registered
     */
    void register(Poller poller, int ops, IoHandler handler) throws IOException;

    /**
     * Gives the registration to another handler on the same loop (a connector hands its socket to
     * the connection it made).
     *
     * @param handler the new handler
     * @param ops its interest set
     */
    void handOver(IoHandler handler, int ops);

    /** @param ops the new interest set; a no-op once closed */
    void interest(int ops);

    /** @return the interest set */
    int interest();

    /**
     * @param dst where to read to, from its position
     * @return bytes read, 0 if none are available, -1 at the peer's end of stream
     * @throws IOException on a socket error (reset and the like)
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * @param src what to write, from its position (advanced by what was written)
     * @return bytes written, 0 if the socket has no room
     * @throws IOException on a socket error
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * A gathering write.
     *
     * @param srcs buffers, each advanced by what was written from it
     * @param offset first buffer
     * @param length how many buffers
     * @return bytes written
     * @throws IOException on a socket error
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Sends part of a file.
     *
     * @param file the file
     * @param position where in it
     * @param count at most this many bytes
     * @return bytes sent, maybe fewer than {@code count}
     * @throws IOException on a socket or file error
     */
    long transferFrom(FileChannel file, long position, long count) throws IOException;

    /**
     * Starts connecting.
     *
     * @param remote the peer
     * @return true if connected at once, false if {@code OP_CONNECT} will say when
     * @throws IOException if the connect fails at once
     */
    boolean connect(InetSocketAddress remote) throws IOException;

    /**
     * @return whether the connect that {@code OP_CONNECT} signalled has completed
     * @throws IOException if it failed (refused, unreachable)
     */
    boolean finishConnect() throws IOException;

    /**
     * @return a connection a listening socket accepted, unregistered, or null if none is waiting
     * @throws IOException on an error of the listener (e.g. too many open files)
     */
    Sock accept() throws IOException;

    /** @throws IOException if the socket cannot half-close */
    void shutdownOutput() throws IOException;

    /** Closes the socket and cancels its registration. Idempotent; never throws. */
    void close();

    /** @return whether {@link #close} has not been called */
    boolean isOpen();

    /** @return the local address, or null if unknown */
    InetSocketAddress localAddress();

    /** @return the peer's address, or null if unknown or not connected */
    InetSocketAddress remoteAddress();

    /**
     * @param on whether to disable Nagle's algorithm ({@code TCP_NODELAY})
     * @throws IOException if the option cannot be set
     */
    void noDelay(boolean on) throws IOException;

    /**
     * @param on whether to send keep-alive probes ({@code SO_KEEPALIVE})
     * @throws IOException if the option cannot be set
     */
    void keepAlive(boolean on) throws IOException;
}
