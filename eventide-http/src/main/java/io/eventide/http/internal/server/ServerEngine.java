package io.eventide.http.internal.server;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.Histogram;
import io.eventide.core.LoopClosedException;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpServer;
import io.eventide.core.tls.ServerTls;
import io.eventide.core.tls.TlsStats;
import io.eventide.http.HttpLimits;
import io.eventide.http.HttpOptions;
import io.eventide.http.internal.codec.Http1Limits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server engine behind one {@code HttpServer}: a {@link ServerLoop} per loop of the group, the
 * TCP listener, the counters, and the graceful close. The API side supplies a {@link Dispatcher}.
 *
 * <p>Graceful close ({@link #close}), after Go's {@code Server.Shutdown} and mini-redis:
 * <ol>
 *   <li>stop accepting: every listener closes, after accepting what the kernel already queued on
 *       it (those clients are served, not reset);</li>
 *   <li>once no listener accepts any more, responses start saying {@code Connection: close}
 *       ({@link #isClosing}) and the shutdown is broadcast to every loop — not before: a client
 *       told to close reconnects at once and must not land on a listener about to close (without
 *       {@code net.ipv4.tcp_migrate_req} the kernel resets what is queued on a listener in the
 *       instant it closes). The broadcast: idle connections close at once, busy ones answer what
 *       is in flight with {@code Connection: close}, long responses get their {@code onShutdown},
 *       upgraded connections their {@code Connection.onShutdown} (a WebSocket says 1001);</li>
 *   <li>each HTTP connection that closes (or is upgraded) counts down {@link #open}; the one that
 *       takes it to zero resolves the close: no polling;</li>
 *   <li>at the grace deadline, what is left is closed by force, and the close is rejected with
 *       {@link DeadlineExceededException} naming how many were cut off.</li>
 * </ol>
 * Upgraded connections are told, not waited for (as Go's Shutdown does with hijacked ones): the
 * loop group's own close waits for them.
 *
 * <p><b>Threading:</b> {@link #listen} and {@link #close} from any thread; counters any thread;
 * the rest is called by connections on their loops.
 */
public final class ServerEngine {
    private final LoopGroup group;
    private final HttpOptions options;
    private final Http1Limits limits;
    private final byte[] serverLine;
    private final Dispatcher dispatcher;
    private final ServerLoop[] loops;
    private final AtomicLongArray statusCounts = new AtomicLongArray(6);
    private final Histogram latency = new Histogram();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    /** HTTP connections not yet closed nor upgraded: the drain waits for this to reach zero. */
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** The last connection (on its loop) and the end of the listeners' close (on loop 0) may both see zero. */
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Set once every listener is closed: from then on every response says Connection: close. */
    private volatile boolean listenersClosed;
    /** Set by {@link #close}: how long an idle connection must be quiet before the drain closes it. */
    private volatile long drainQuietNanos = Deadlines.DRAIN_IDLE_QUIET_NANOS;
    private volatile Promise<Void> closed;
    /** One per {@link #listen} call, in call order. */
    private final List<TcpServer> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param group the loops to serve on
     * @param options settings
     * @param dispatcher the API side
     */
    public ServerEngine(LoopGroup group, HttpOptions options, Dispatcher dispatcher) {
        this.group = group;
        this.options = options;
        this.dispatcher = dispatcher;
        HttpLimits l = options.limits();
        this.limits = new Http1Limits(l.maxStartLineBytes(), l.maxHeaderBytes(), l.maxHeaderCount(),
                l.maxChunkLineBytes(), l.maxTrailerBytes());
        this.serverLine = options.serverName() == null ? new byte[0]
                : ("Server: " + options.serverName() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.loops = new ServerLoop[group.size()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new ServerLoop(group.loop(i), this);
        }
    }

    HttpOptions options() {
        return options;
    }

    Http1Limits limits() {
        return limits;
    }

    byte[] serverLine() {
        return serverLine;
    }

    // ------------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Adds a listener; may be called more than once (a public port and a private one, say): every
     * listener serves the same routes and the counters add them up.
     *
     * @param host address to bind
     * @param port port, 0 for any
     * @param tls certificates for HTTPS, or null for plain HTTP
     * @return completes when listening
     */
    public Promise<Void> listen(String host, int port, ServerTls tls) {
        java.util.function.Consumer<Connection> accept = c -> {
            open.incrementAndGet();
            new Http1ServerConnection(this, loops[indexOf(c.loop())], c);
        };
        TcpServer tcp = tls == null ? TcpServer.create(group, options.tcp(), accept)
                : TcpServer.create(group, options.tcp(), tls, accept);
        listeners.add(tcp);
        return tcp.listen(host, port).map(t -> null);
    }

    private int indexOf(EventLoop loop) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].loop == loop) {
                return i;
            }
        }
        throw new IllegalStateException("connection on a foreign loop " + loop);
    }

    /**
     * Graceful close (see the class documentation); idempotent.
     *
     * @param grace how long in-flight requests may take
     * @return resolved when every HTTP connection closed; rejected with
     *     {@link DeadlineExceededException} when some had to be closed by force at the deadline
     */
    public Promise<Void> close(Duration grace) {
        if (!closing.compareAndSet(false, true)) {
            return closed;
        }
        Promise<Void> done = group.loop(0).promise();
        closed = done;
        // Idle connections must be closed well before the deadline: one still open at the deadline
        // is counted as cut off, though no request was lost on it.
        drainQuietNanos = Math.min(Deadlines.DRAIN_IDLE_QUIET_NANOS, grace.toNanos() / 2);
        if (listeners.isEmpty()) {
            done.resolve(null);
            return done;
        }
        Timer deadline = group.loop(0).setTimeout(grace, () -> forceClose(done));
        done.whenComplete((v, e) -> deadline.cancel());
        Promise.all(group.loop(0), listeners.stream().map(TcpServer::close).toList()).whenComplete((v, e) -> {
            listenersClosed = true;
            for (ServerLoop sl : loops) {
                onLoop(sl, sl::shutdown);
            }
            if (open.get() == 0) {
                finish(done);
            }
        });
        return done;
    }

    /** @return how long an idle connection must have been quiet before the drain closes it */
    long drainQuietNanos() {
        return drainQuietNanos;
    }

    /** @return whether every listener is closed: responses from now on say {@code Connection: close} */
    boolean isClosing() {
        return listenersClosed;
    }

    private void forceClose(Promise<Void> done) {
        int left = open.get();
        if (left == 0) {
            return;
        }
        for (ServerLoop sl : loops) {
            onLoop(sl, sl::forceClose);
        }
        done.reject(new DeadlineExceededException("closed by force at the grace deadline: " + left
                + (left == 1 ? " connection was" : " connections were") + " still busy"));
    }

    private void finish(Promise<Void> done) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        for (ServerLoop sl : loops) {
            onLoop(sl, sl::stop);
        }
        done.resolve(null);
    }

    private static void onLoop(ServerLoop sl, Runnable r) {
        try {
            sl.loop.execute(r);
        } catch (LoopClosedException e) {
            // That loop has terminated: its connections are gone with it.
        }
    }

    /** An HTTP connection closed or was handed to another protocol. */
    void released(Http1ServerConnection c) {
        if (open.decrementAndGet() == 0 && listenersClosed) {
            Promise<Void> done = closed;
            if (done != null) {
                finish(done);
            }
        }
    }

    /** @return the port of the first {@link #listen}, -1 before it is bound */
    public int port() {
        return listeners.isEmpty() ? -1 : listeners.get(0).port();
    }

    /** @return the port of every {@link #listen} call, in call order (-1 for one not bound yet) */
    public List<Integer> ports() {
        return listeners.stream().map(TcpServer::port).toList();
    }

    // ------------------------------------------------------------------------------------------
    // Called by connections (loop thread)

    /** @param x an exchange whose {@code startNanos} its connection set */
    void dispatch(Exchange x) {
        dispatcher.dispatch(x);
    }

    void finished(Exchange x) {
        x.reported = true;
        long now = System.nanoTime();
        x.conn.clock = now;
        latency.record(now - x.startNanos);
        int cls = x.status / 100;
        if (cls >= 1 && cls <= 5) {
            statusCounts.incrementAndGet(cls);
        }
        dispatcher.finished(x);
    }

    /** The connection closed before {@code x}'s response ended (the client left mid-response). */
    void aborted(Exchange x, Throwable cause) {
        if (!x.reported) {
            x.reported = true;
            dispatcher.aborted(x, cause);
        }
    }

    void failed(Exchange x, Throwable t) {
        dispatcher.failed(x, t);
    }

    /**
     * The server answered {@code status} itself. For a dispatched request (a 413, a 408 or a bad
     * body while its handler waited), that answer ends it, for the listeners too: an access log
     * says 413, not "client gone".
     *
     * @param x the current exchange, or null before one was dispatched
     */
    void answeredError(Exchange x, int status) {
        if (x != null && !x.reported) {
            x.status = status;
            finished(x);
        } else {
            rejected(status);
        }
    }

    void rejected(int status) {
        statusCounts.incrementAndGet(status / 100);
    }

    void bytesIn(long n) {
        bytesIn.add(n);
    }

    void bytesOut(long n) {
        bytesOut.add(n);
    }

    // ------------------------------------------------------------------------------------------
    // Metrics (any thread)

    /** @return request latency, head received to response ended, nanoseconds */
    public Histogram latency() {
        return latency;
    }

    /** @param statusClass 1..5 @return responses of that class */
    public long responses(int statusClass) {
        return statusCounts.get(statusClass);
    }

    /** @return connections accepted */
    public long accepted() {
        return listeners.stream().mapToLong(TcpServer::accepted).sum();
    }

    /** @return connections refused at accept */
    public long refused() {
        return listeners.stream().mapToLong(TcpServer::rejected).sum();
    }

    /** @return open TCP connections, upgraded ones included */
    public int connections() {
        int n = 0;
        for (TcpServer t : listeners) {
            n += t.connections();
        }
        return n;
    }

    /** @return TLS handshakes done, failed, timed out, and plaintext refused, over every listener */
    public TlsStats tlsStats() {
        long handshakes = 0;
        long failures = 0;
        long timeouts = 0;
        long plaintext = 0;
        for (TcpServer t : listeners) {
            TlsStats s = t.tlsStats();
            handshakes += s.handshakes();
            failures += s.failures();
            timeouts += s.timeouts();
            plaintext += s.plaintext();
        }
        return new TlsStats(handshakes, failures, timeouts, plaintext);
    }

    /** @return request bytes received */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** @return response bytes encoded */
    public long bytesOut() {
        return bytesOut.sum();
    }
}
