package io.eventide.core.internal.io;

import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One loop's readiness source and socket factory: the JDK selector ({@link NioPoller}) or Linux
 * epoll ({@code io.eventide.core.internal.epoll.EpollPoller}). A loop polls it, it calls the loop's
 * {@link Dispatch} for every ready socket, and the sockets it opens ({@link Sock}) register with it.
 *
 * <p><b>Threading:</b> loop-confined, except {@link #wakeup()} (any thread) and the {@code open}
 * methods, which any thread may call (a socket is registered on its loop's thread).
 */
public interface Poller {

    /** What a poller calls for each ready socket: the loop's guarded dispatch. */
    @FunctionalInterface
    interface Dispatch {
        /**
         * @param handler the socket's handler
         * @param readyOps what is ready, in {@link java.nio.channels.SelectionKey} bits
         */
        void ready(IoHandler handler, int readyOps);
    }

    /**
     * Polls once: dispatches ready sockets, waiting at most {@code timeoutNanos} for one.
     *
     * @param timeoutNanos 0 for a non-blocking poll, negative to wait until an event or a wakeup
     */
    void poll(long timeoutNanos);

    /** Wakes the loop if it sleeps in the poll. Any thread. */
    void wakeup();

    /** @return sockets registered and not yet closed */
    int registered();

    /** @return the handlers of the sockets still registered, a copy */
    List<IoHandler> handlers();

    /** @return whether the poller is still open */
    boolean isOpen();

    /**
     * Closes every socket still registered, then the poller. At loop termination.
     *
     * @return how many sockets were still open: closed here bluntly, by no handler
     */
    int close();

    /**
     * @param remote the address it will connect to (its family chooses the socket's)
     * @return a new non-blocking TCP socket, not yet connected nor registered
     * @throws IOException if the system refuses one
     */
    Sock openStream(InetAddress remote) throws IOException;

    /**
     * @param remote the address it will connect to
     * @return a new non-blocking UDP socket, not yet connected nor registered
     * @throws IOException if the system refuses one
     */
    Sock openDatagram(InetAddress remote) throws IOException;

    /**
     * @param local where to listen
     * @param backlog accept backlog
     * @param reusePort whether to set {@code SO_REUSEPORT} (several listeners share the port)
     * @return a bound, listening, non-blocking socket, not yet registered
     * @throws IOException if it cannot be bound
     */
    Sock listen(InetSocketAddress local, int backlog, boolean reusePort) throws IOException;
}
