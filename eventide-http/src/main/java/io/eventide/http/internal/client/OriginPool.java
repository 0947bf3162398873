package io.eventide.http.internal.client;

import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpClient;
import io.eventide.http.client.ClientOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * The keep-alive connections of one loop to one origin, with a bounded wait queue.
 *
 * <pre>
 *  acquire(req) ──► idle connection (most recent first) ──► assign
 *               ──► else open &lt; max ──► connect ──► assign
 *               ──► else queue (bounded) ──► else OverloadException
 *  release(c)   ──► waiter? assign : park in idle (closed after keepAliveTimeout)
 *  removed(c)   ──► open-- ; retry the request it hands back, if any; serve waiters
 * </pre>
 *
 * <p>Invariants and procedure:
 * <ol>
 *   <li>{@code open} counts connections connecting, busy or idle; it never exceeds
 *       {@code maxConnectionsPerOrigin}, and falls exactly once per connection: when its socket
 *       closes ({@link #removed}) or its connect fails.</li>
 *   <li>A request waits only when every connection is busy or connecting; each release, close or
 *       failed connect serves the queue in order, so no waiter is stranded while a slot is free.</li>
 *   <li>Idle connections are kept most-recently-used first: under light load the same few stay
 *       warm and the rest age out through their keep-alive timeout.</li>
 *   <li>A retry takes the slot the dead connection frees before the queue does, so a request is
 *       never overtaken by its own retry's waiters.</li>
 * </ol>
 *
 * <p><b>Threading:</b> loop-confined (asserted).
 */
final class OriginPool {
    private final ClientPools owner;
    private final EventLoop loop;
    private final Origin origin;
    private final ClientOptions options;
    private final ArrayDeque<Http1ClientConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Http1ClientRequest> waiters = new ArrayDeque<>();
    private int open;
    private boolean closed;

    OriginPool(ClientPools owner, EventLoop loop, Origin origin) {
        this.owner = owner;
        this.loop = loop;
        this.origin = origin;
        this.options = owner.options();
    }

    void acquire(Http1ClientRequest req) {
        assert loop.inLoop();
        if (isClosed()) {
            req.fail(closedError());
            return;
        }
        Http1ClientConnection c = pollIdle();
        if (c != null) {
            c.assign(req);
        } else if (open < options.maxConnectionsPerOrigin()) {
            connect(req);
        } else if (waiters.size() < options.maxWaitQueue()) {
            waiters.addLast(req);
        } else {
            req.fail(new OverloadException("all " + open + " connections to " + origin + " on " + loop.name()
                    + " are busy and " + waiters.size() + " requests wait (max-connections-per-origin "
                    + options.maxConnectionsPerOrigin() + ", max-wait-queue " + options.maxWaitQueue() + ")"));
        }
    }

    private Http1ClientConnection pollIdle() {
        Http1ClientConnection c;
        while ((c = idle.pollFirst()) != null) {
            if (c.isUsable()) {
                return c;
            }
            // Closing already: its onClose will call removed(), which does the accounting.
        }
        return null;
    }

    private void connect(Http1ClientRequest req) {
        open++;
        owner.opened();
        Promise<Connection> connecting = origin.secure()
                ? TcpClient.connect(loop, origin.host(), origin.port(), owner.tcp(), owner.tls())
                : TcpClient.connect(loop, origin.host(), origin.port(), owner.tcp());
        connecting.onFailure(err -> {
            open--;
            owner.closed();
            req.fail(err instanceof EventideException ee ? ee
                    : new EventideException("connect to " + origin + " failed: " + err, err));
            serveWaiters();
        });
        connecting.onSuccess(conn -> {
            Http1ClientConnection c = new Http1ClientConnection(conn, this, owner.limits());
            if (isClosed()) {
                c.destroy();
                req.fail(closedError());
            } else {
                c.assign(req);
            }
        });
    }

    /** The exchange on {@code c} ended; {@code reusable} says whether the connection may serve another. */
    void release(Http1ClientConnection c, boolean reusable) {
        assert loop.inLoop();
        if (!reusable || isClosed() || loop.isClosing()) {
            c.destroy();
            return;
        }
        Http1ClientRequest next = waiters.pollFirst();
        if (next != null) {
            c.assign(next);
            return;
        }
        idle.addFirst(c);
        c.park(options.keepAliveTimeout());
    }

    /**
     * {@code c}'s socket closed. {@code retry}, if not null, is the request it was carrying, to be
     * sent again on a new connection.
     */
    void removed(Http1ClientConnection c, Http1ClientRequest retry) {
        assert loop.inLoop();
        idle.remove(c);
        open--;
        owner.closed();
        if (retry != null) {
            if (isClosed()) {
                retry.fail(closedError());
            } else {
                connect(retry);
            }
        }
        serveWaiters();
    }

    private void serveWaiters() {
        while (!waiters.isEmpty()) {
            if (isClosed()) {
                waiters.pollFirst().fail(closedError());
                continue;
            }
            Http1ClientConnection c = pollIdle();
            if (c != null) {
                c.assign(waiters.pollFirst());
            } else if (open < options.maxConnectionsPerOrigin()) {
                connect(waiters.pollFirst());
            } else {
                return;
            }
        }
    }

    /** Closes idle connections and fails waiters; busy connections close when their exchange ends. */
    void close() {
        assert loop.inLoop();
        closed = true;
        for (Http1ClientConnection c : new ArrayList<>(idle)) {
            c.destroy();
        }
        serveWaiters();
    }

    private boolean isClosed() {
        return closed || owner.isClosed();
    }

    private EventideException closedError() {
        return new EventideException("HttpClient is closed; request to " + origin + " not sent");
    }

    Origin origin() {
        return origin;
    }

    ClientOptions options() {
        return options;
    }

    /** {@return connections connecting, busy or idle} */
    int open() {
        return open;
    }

    /** {@return requests waiting for a connection} */
    int waiting() {
        return waiters.size();
    }
}
