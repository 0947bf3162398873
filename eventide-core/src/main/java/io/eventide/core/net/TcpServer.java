package io.eventide.core.net;

import io.eventide.core.EventLoop;
import io.eventide.core.internal.io.Sock;
import io.eventide.core.internal.io.Transports;
import io.eventide.core.EventideException;
import io.eventide.core.LoopClosedException;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.spi.IoHandler;
import io.eventide.core.tls.ServerTls;
import io.eventide.core.tls.TlsStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A TCP server over a {@link LoopGroup}: Node's {@code net.Server}, on every core.
 *
 * <pre>{@code
 * TcpServer.create(group, TcpOptions.defaults(), conn -> conn.onData(conn::write))
 *          .listen("127.0.0.1", 7000).join();
 * }</pre>
 *
 * <p>Two ways to spread connections over loops (measure both for your workload):
 * <ul>
 *   <li>default: one listener on the first loop accepts and deals connections round-robin to the
 *       loops, skipping loops at their connection cap;</li>
 *   <li>{@link TcpOptions#reusePort()}: one SO_REUSEPORT listener per loop; the kernel spreads
 *       connections by hash, and no connection crosses threads.</li>
 * </ul>
 * Each loop holds at most {@link TcpOptions#maxConnectionsPerLoop()} connections; past that a new
 * connection is closed at once and counted in {@link #rejected()}. On the group's graceful close the
 * server stops accepting and asks each connection to finish ({@link Connection#onShutdown}, by
 * default {@link Connection#end()}).
 *
 * <p>With a {@link ServerTls} ({@link #create(LoopGroup, TcpOptions, ServerTls, Consumer)}) every
 * connection speaks TLS: the handler gets it once the handshake is done (its {@link Connection#tls()}
 * says what was agreed), and reads and writes plaintext. Connections that fail the handshake, do not
 * finish it within the handshake timeout, or send plaintext are closed before any handler sees them,
 * and counted ({@link #tlsStats()}).
 *
 * <p><b>Threading:</b> any thread may call {@link #listen} and {@link #close}; the connection
 * handler runs on the connection's loop.
 */
public final class TcpServer {
    private final LoopGroup group;
    private final TcpOptions options;
    private final Consumer<Connection> handler;
    private final ServerTls tls;
    private final TlsCounters tlsCounters = new TlsCounters();
    private final PerLoop[] perLoop;
    private final List<Listener> listeners = new ArrayList<>();
    private final AtomicInteger rr = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private volatile int port = -1;
    private volatile boolean closed;

    private TcpServer(LoopGroup group, TcpOptions options, ServerTls tls, Consumer<Connection> handler) {
        this.group = group;
        this.options = options;
        this.tls = tls;
        this.handler = handler;
        this.perLoop = new PerLoop[group.size()];
        for (int i = 0; i < perLoop.length; i++) {
            perLoop[i] = new PerLoop(group.loop(i));
        }
    }

    /**
     * @param group the loops that will own the connections
     * @param options settings
     * @param handler called on the connection's loop for each new connection
     * @return a server, not yet listening
     */
    public static TcpServer create(LoopGroup group, TcpOptions options, Consumer<Connection> handler) {
        return new TcpServer(Objects.requireNonNull(group), Objects.requireNonNull(options), null,
                Objects.requireNonNull(handler));
    }

    /**
     * A TLS server.
     *
     * @param group the loops that will own the connections
     * @param options settings
     * @param tls certificates and TLS settings; {@link ServerTls#reload()} applies to new handshakes
     * @param handler called on the connection's loop for each connection, once its handshake is done
     * @return a server, not yet listening
     */
    public static TcpServer create(LoopGroup group, TcpOptions options, ServerTls tls, Consumer<Connection> handler) {
        return new TcpServer(Objects.requireNonNull(group), Objects.requireNonNull(options), Objects.requireNonNull(tls),
                Objects.requireNonNull(handler));
    }

    /** @return whether connections speak TLS */
    public boolean isSecure() {
        return tls != null;
    }

    /** @return the TLS counters: handshakes done, failed, timed out; plaintext refused */
    public TlsStats tlsStats() {
        return tlsCounters.snapshot();
    }

    /**
     * Binds and starts accepting.
     *
     * @param host address to bind, e.g. {@code "127.0.0.1"} or {@code "0.0.0.0"}
     * @param port port, 0 for any free one (see {@link #port()})
     * @return completes (on the first loop) when every listener is bound
     */
    public Promise<TcpServer> listen(String host, int port) {
        EventLoop first = group.loop(0);
        Promise<TcpServer> result = first.promise();
        first.execute(() -> {
            try {
                if (options.reusePort()) {
                    bindReusePort(host, port, result);
                } else {
                    Listener l = bind(first, host, port, false);
                    this.port = l.port();
                    result.resolve(this);
                }
            } catch (IOException | RuntimeException e) {
                result.reject(new EventideException("cannot listen on " + host + ":" + port + ": " + e, e));
            }
        });
        return result;
    }

    private void bindReusePort(String host, int wanted, Promise<TcpServer> result) throws IOException {
        Listener firstListener = bind(group.loop(0), host, wanted, true);
        int bound = firstListener.port();
        this.port = bound;
        AtomicInteger left = new AtomicInteger(group.size() - 1);
        if (left.get() == 0) {
            result.resolve(this);
        }
        for (int i = 1; i < group.size(); i++) {
            EventLoop l = group.loop(i);
            l.execute(() -> {
                try {
                    bind(l, host, bound, true);
                    if (left.decrementAndGet() == 0) {
                        result.resolve(this);
                    }
                } catch (IOException | RuntimeException e) {
                    result.reject(new EventideException("cannot listen on " + host + ":" + bound
                            + " with SO_REUSEPORT: " + e, e));
                }
            });
        }
    }

    private Listener bind(EventLoop loop, String host, int port, boolean reusePort) throws IOException {
        Sock ch = Transports.poller(loop).listen(new InetSocketAddress(host, port), options.backlog(), reusePort);
        try {
            Listener l = new Listener(loop, ch, reusePort);
            ch.register(Transports.poller(loop), SelectionKey.OP_ACCEPT, l);
            synchronized (listeners) {
                listeners.add(l);
            }
            loop.onShutdown(this::shutdownLoop);
            return l;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** @return the bound port, or -1 before {@link #listen} completed */
    public int port() {
        return port;
    }

    /** @return connections accepted so far */
    public long accepted() {
        return accepted.get();
    }

    /** @return connections closed at once because their loop was at its cap */
    public long rejected() {
        return rejected.get();
    }

    /** @return connections open now, across loops */
    public int connections() {
        int n = 0;
        for (PerLoop p : perLoop) {
            n += p.count.get();
        }
        return n;
    }

    /**
     * Stops accepting. Connections already waiting in a listener's accept queue are accepted and
     * handed to their loops first (the queue is drained, then the socket closed, in one loop task),
     * so a client whose handshake the kernel completed is served rather than reset. Where the kernel
     * migrates requests between SO_REUSEPORT listeners ({@code net.ipv4.tcp_migrate_req=1}), what
     * arrives in the instant between the last accept and the close moves to a sibling listener; without
     * it that instant is the one window in which a connection can still be reset. Open connections are
     * left alone (close them, or close the group).
     *
     * @return completes on the first loop once every listener is closed
     */
    public Promise<Void> close() {
        Promise<Void> done = group.loop(0).promise();
        stopAccepting(() -> done.resolve(null));
        return done;
    }

    /** Closes every listener, each on its own loop, then runs {@code whenDone} on the last of them. */
    private void stopAccepting(Runnable whenDone) {
        closed = true;
        List<Listener> ls;
        synchronized (listeners) {
            ls = new ArrayList<>(listeners);
            listeners.clear();
        }
        AtomicInteger left = new AtomicInteger(ls.size());
        if (ls.isEmpty()) {
            whenDone.run();
        }
        for (Listener l : ls) {
            Runnable closeOne = () -> {
                l.acceptBacklog();
                l.closeChannel();
                if (left.decrementAndGet() == 0) {
                    whenDone.run();
                }
            };
            try {
                l.loop.execute(closeOne);
            } catch (LoopClosedException e) {
                // That loop has terminated, and terminating closed its channels, this listener too.
                if (left.decrementAndGet() == 0) {
                    whenDone.run();
                }
            }
        }
    }

    private void shutdownLoop() {
        // Registered on each loop that has a listener: loop 0 only with round-robin, every loop with
        // SO_REUSEPORT. Only the first to run acts, so no connection is asked twice (a user's
        // onShutdown handler is not idempotent) and no promise is resolved towards a loop that may
        // already have terminated. It stops accepting, then asks every connection of every loop to
        // finish.
        if (!shutdownStarted.compareAndSet(false, true)) {
            return;
        }
        stopAccepting(() -> { });
        for (PerLoop p : perLoop) {
            try {
                p.loop.execute(p::shutdownConnections);
            } catch (LoopClosedException e) {
                // That loop already finished closing: it has no connections left to ask.
            }
        }
    }

    private void accepted(EventLoop acceptLoop, Sock ch) {
        int start = options.reusePort() ? indexOf(acceptLoop) : Math.floorMod(rr.getAndIncrement(), perLoop.length);
        for (int i = 0; i < perLoop.length; i++) {
            PerLoop target = perLoop[(start + i) % perLoop.length];
            if (target.count.incrementAndGet() <= options.maxConnectionsPerLoop()) {
                accepted.incrementAndGet();
                if (target.loop == acceptLoop) {
                    target.init(ch);
                    return;
                }
                try {
                    target.loop.execute(() -> target.init(ch));
                    return;
                } catch (LoopClosedException e) {
                    // The group is closing and that loop is gone: refuse rather than let the
                    // exception reach the selector, which would close this listener.
                    accepted.decrementAndGet();
                    target.count.decrementAndGet();
                    break;
                }
            }
            target.count.decrementAndGet();
            if (options.reusePort()) {
                break; // the kernel chose this loop; do not move connections across threads
            }
        }
        rejected.incrementAndGet();
        closeQuietly(ch);
    }

    private int indexOf(EventLoop loop) {
        for (int i = 0; i < perLoop.length; i++) {
            if (perLoop[i].loop == loop) {
                return i;
            }
        }
        throw new IllegalStateException("not a loop of this server's group: " + loop);
    }

    private static void closeQuietly(Sock ch) {
        ch.close(); // refusing a connection: if even close fails there is nobody to tell
    }

    /** Per-loop bookkeeping: the connections a loop owns. Loop-confined except {@code count}. */
    private final class PerLoop implements Connection.ConnectionListener {
        private final EventLoop loop;
        private final AtomicInteger count = new AtomicInteger();
        private final HashSet<Connection> open = new HashSet<>();
        /** Set once {@link #shutdownConnections} ran; a connection initialised later is asked at once. */
        private boolean shuttingDown;

        PerLoop(EventLoop loop) {
            this.loop = loop;
        }

        void init(Sock ch) {
            Connection c = new Connection(loop, ch, options, this);
            try {
                ch.noDelay(options.noDelay());
                if (options.keepAlive()) {
                    ch.keepAlive(true);
                }
                c.open(SelectionKey.OP_READ);
            } catch (IOException e) {
                count.decrementAndGet();
                closeQuietly(ch);
                return;
            }
            open.add(c);
            if (tls != null) {
                try {
                    c.startTls(tls.newEngine(), tls.handshakeTimeout(), tlsCounters, null, info -> handOver(c));
                } catch (RuntimeException e) {
                    loop.reportUncaught(e);
                    c.destroy(e);
                }
                return;
            }
            handOver(c);
        }

        /** Gives the connection to the application: at accept, or after its TLS handshake. */
        private void handOver(Connection c) {
            try {
                handler.accept(c);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) {
                    throw vme;
                }
                loop.reportUncaught(t);
                c.destroy(t);
                return;
            }
            if (shuttingDown) {
                // Accepted on another loop just before the close began, handed over just after this
                // loop asked its connections to finish: ask this one too, or it would hold the loop
                // open until the close deadline.
                c.shutdownRequested();
            }
        }

        @Override
        public void closed(Connection c) {
            if (open.remove(c)) {
                count.decrementAndGet();
            }
        }

        void shutdownConnections() {
            shuttingDown = true;
            for (Connection c : open.toArray(new Connection[0])) {
                c.shutdownRequested();
            }
        }
    }

    /** A bound listening socket registered on one loop. */
    private final class Listener implements IoHandler {
        private final EventLoop loop;
        private final Sock channel;

        Listener(EventLoop loop, Sock channel, boolean reusePort) {
            this.loop = loop;
            this.channel = channel;
        }

        int port() {
            InetSocketAddress local = channel.localAddress();
            return local == null ? -1 : local.getPort();
        }

        @Override
        public void ready(int ops) {
            // Accept a bounded batch per event so one busy listener cannot starve the loop's sockets.
            for (int i = 0; i < 64 && !closed; i++) {
                Sock ch;
                try {
                    ch = channel.accept();
                } catch (IOException e) {
                    // EMFILE and friends: keep the listener; log and retry on the next event.
                    System.getLogger("io.eventide.net").log(Level.WARNING, "accept failed on port " + port + ": " + e);
                    return;
                }
                if (ch == null) {
                    return;
                }
                accepted(loop, ch);
            }
        }

        /** Accepts what the kernel has queued (at most one backlog's worth), so closing resets nobody. */
        void acceptBacklog() {
            for (int i = 0; i < options.backlog() && channel.isOpen(); i++) {
                Sock ch;
                try {
                    ch = channel.accept();
                } catch (IOException e) {
                    return; // EMFILE and friends: what is left is reset by the close, as before
                }
                if (ch == null) {
                    return;
                }
                accepted(loop, ch);
            }
        }

        void closeChannel() {
            channel.close();
        }

        @Override
        public void forceClose() {
            closeChannel();
        }

        @Override
        public String handlerName() {
            return "tcp-listener:" + port;
        }
    }
}
