package io.eventide.core.spi;

import java.nio.channels.SelectionKey;

/**
 * What a transport attaches to a socket registered on an {@link io.eventide.core.EventLoop}: the
 * loop calls it when the socket is ready. TCP connections, listeners and HTTP connections are
 * {@code IoHandler}s. The same handlers run on either {@link io.eventide.core.Transport}.
 *
 * <p><b>Threading:</b> loop-confined. Every method is called on the owning loop's thread, one at a
 * time; implementations need no locks for their own state.
 */
public interface IoHandler {

    /**
     * The socket is ready for the operations in {@code readyOps}: level semantics on every
     * transport, so a handler that leaves bytes unread while still interested is called again.
     *
     * @param readyOps the ready set ({@link SelectionKey#OP_READ} etc.), within the interest set
     */
    void ready(int readyOps);

    /**
     * The loop is shutting down and the channel must be released now. Called at most once, after
     * the application's graceful close deadline has passed.
     */
    void forceClose();

    /**
     * @return whether this is a client's connection: at a graceful close nobody asks it to finish
     *     until only such connections are left ({@link #othersFinished})
     */
    default boolean isClient() {
        return false;
    }

    /**
     * A graceful close has drained everything but client connections (servers' connections are
     * gone, nothing will send requests over these any more): finish now, as a server's connection
     * does when asked, instead of being forced closed at the deadline. Called at most once.
     */
    default void othersFinished() {
    }

    /**
     * Name shown by the watchdog when this handler holds the loop too long.
     *
     * @return a short human-readable name, e.g. {@code "tcp-connection#42 (EchoServer)"}
     */
    String handlerName();
}
