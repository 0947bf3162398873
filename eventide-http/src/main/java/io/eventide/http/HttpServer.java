package io.eventide.http;

import io.eventide.core.EventLoop;
import io.eventide.core.Histogram;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.net.TcpServer;
import io.eventide.core.tls.ServerTls;
import io.eventide.core.tls.TlsStats;
import io.eventide.http.internal.codec.Http1Limits;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP/1.1 server on every loop of a {@link LoopGroup}, with a router, middleware and an error
 * handler: the front door most Eventide applications start from.
 *
 * <pre>{@code
 * HttpServer app = HttpServer.create();                       // own loops, one per core
 * app.get("/hello/:name", (req, res) -> res.end("Hello, " + req.param("name")));
 * app.post("/echo", (req, res) -> req.body().onSuccess(res::end));
 * app.listen(8080).join();
 * }</pre>
 *
 * <p>Request flow: {@link #before} hooks in order (one that ends the response, or holds it with
 * {@link HttpResponse#hold()} to answer later, stops the chain),
 * then the route's handler; 404 when no route matches the path, 405 with {@code Allow} when one
 * matches but not for this method. Anything a hook or handler throws goes to {@link #onError}; the
 * default answers {@link HttpException#status()} or 500 and logs the stack trace, which never
 * reaches the client. {@link #after} hooks run once a response has ended.
 *
 * <p>Graceful close ({@link #close(Duration)}): stop accepting (connections the kernel already queued
 * are accepted and served), then, once every listener is closed, close idle keep-alive connections,
 * let in-flight requests finish and answer them with {@code Connection: close}, then force-close
 * what is left at the deadline. (A response that ends before the listeners are closed keeps its
 * connection: a client told to close would reconnect onto a listener about to close; the
 * connection is then treated as idle.) A connection that was used less than a second ago is not closed
 * while idle: its client may be sending a request at this very moment (a proxy reusing a pooled
 * connection), and closing under it would lose that request. It gets until it has been idle for a
 * second, and a request that arrives meanwhile is answered with {@code Connection: close}.
 *
 * <p>{@link #listen} may be called more than once (a public port and a private one, say); every
 * listener serves the same routes, and the counters add them up.
 *
 * <p><b>Threading:</b> configure routes and hooks before {@link #listen}, from one thread; after
 * that the server is read-only and {@link #close} may be called from any thread. Handlers run on
 * the connection's loop.
 */
public final class HttpServer {
    private static final System.Logger LOG = System.getLogger("io.eventide.http");

    private final LoopGroup group;
    private final boolean ownsGroup;
    private final HttpOptions options;
    private final Http1Limits limits;
    private final byte[] serverLine;
    private final Router router = new Router();
    private final List<Handler> before = new ArrayList<>();
    private final List<Handler> after = new ArrayList<>();
    private final ServerLoop[] loops;
    private final AtomicLongArray statusCounts = new AtomicLongArray(6);
    private final Histogram latency = new Histogram();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private ErrorHandler errorHandler = HttpServer::defaultError;
    /** One per {@link #listen} call, in call order. */
    private final List<TcpServer> listeners = new CopyOnWriteArrayList<>();
    /** Set by {@link #close} once its listeners are closed: every response from then on says {@code Connection: close}. */
    private volatile boolean closing;
    private ServerTls tls;

    private HttpServer(LoopGroup group, boolean ownsGroup, HttpOptions options) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.options = options;
        this.limits = new Http1Limits(options.maxRequestLineBytes(), options.maxHeaderBytes(),
                options.maxHeaderCount(), Http1Limits.DEFAULT_MAX_CHUNK_LINE_BYTES,
                Http1Limits.DEFAULT_MAX_TRAILER_BYTES);
        this.serverLine = options.serverName() == null ? new byte[0]
                : ("Server: " + options.serverName() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.loops = new ServerLoop[group.size()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new ServerLoop(group.loop(i), this);
        }
    }

    /** @return a server with its own loop group (one loop per core) and default options */
    public static HttpServer create() {
        return new HttpServer(LoopGroup.create(), true, HttpOptions.defaults());
    }

    /**
     * @param options settings
     * @return a server with its own loop group (one loop per core, or {@code eventide.core.loops})
     */
    public static HttpServer create(HttpOptions options) {
        return new HttpServer(LoopGroup.create(), true, options);
    }

    /**
     * @param group the loops to serve on (not closed by {@link #close})
     * @param options settings
     * @return a server on {@code group}
     */
    public static HttpServer create(LoopGroup group, HttpOptions options) {
        return new HttpServer(group, false, options);
    }

    // ------------------------------------------------------------------------------------------
    // Routes and hooks

    /** @param pattern path @param h handler @return this server */
    public HttpServer get(String pattern, Handler h) {
        router.route("GET", pattern, h);
        return this;
    }

    /** @param pattern path @param h handler @return this server */
    public HttpServer post(String pattern, Handler h) {
        router.route("POST", pattern, h);
        return this;
    }

    /** @param pattern path @param h handler @return this server */
    public HttpServer put(String pattern, Handler h) {
        router.route("PUT", pattern, h);
        return this;
    }

    /** @param pattern path @param h handler @return this server */
    public HttpServer delete(String pattern, Handler h) {
        router.route("DELETE", pattern, h);
        return this;
    }

    /** @param pattern path @param h handler @return this server */
    public HttpServer patch(String pattern, Handler h) {
        router.route("PATCH", pattern, h);
        return this;
    }

    /**
     * @param method any method token
     * @param pattern path
     * @param h handler
     * @return this server
     */
    public HttpServer route(String method, String pattern, Handler h) {
        router.route(method, pattern, h);
        return this;
    }

    /** @param hook runs before routing; ending the response stops the chain @return this */
    public HttpServer before(Handler hook) {
        before.add(Objects.requireNonNull(hook));
        return this;
    }

    /** @param hook runs after each response ended (logs, metrics) @return this */
    public HttpServer after(Handler hook) {
        after.add(Objects.requireNonNull(hook));
        return this;
    }

    /** @param handler replaces the default error handler @return this */
    public HttpServer onError(ErrorHandler handler) {
        this.errorHandler = Objects.requireNonNull(handler);
        return this;
    }

    // ------------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Serves HTTPS: every connection speaks TLS (1.3 or 1.2) with these certificates; WebSockets
     * on this server are {@code wss://}. ALPN advertises {@code http/1.1} unless {@code tls} names
     * its own protocols. Static files are read and encrypted on the loop (zero-copy
     * {@code transferTo} needs plaintext). Before {@link #listen}.
     *
     * <pre>{@code
     * app.tls(ServerTls.pem(Path.of("fullchain.pem"), Path.of("key.pem"))).listen(8443);
     * // after the files were renewed: app.tls().reload();   (not on a loop: it reads files)
     * }</pre>
     *
     * @param serverTls certificates and TLS settings
     * @return this server
     */
    public HttpServer tls(ServerTls serverTls) {
        if (!listeners.isEmpty()) {
            throw new IllegalStateException("tls(...) must be set before listen");
        }
        this.tls = serverTls.alpn().isEmpty() ? serverTls.alpn("http/1.1") : serverTls;
        return this;
    }

    /** @return the TLS settings in force (call {@link ServerTls#reload()} on it), or null for plain HTTP */
    public ServerTls tls() {
        return tls;
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

    /** @param port port, 0 for any @return completes when listening on all interfaces */
    public Promise<HttpServer> listen(int port) {
        return listen("0.0.0.0", port);
    }

    /**
     * @param host address to bind
     * @param port port, 0 for any
     * @return completes when listening
     */
    public Promise<HttpServer> listen(String host, int port) {
        java.util.function.Consumer<io.eventide.core.net.Connection> handler = c -> {
            ServerLoop sl = loops[indexOf(c.loop())];
            new Http1ServerConnection(this, sl, c);
        };
        TcpServer tcp = tls == null ? TcpServer.create(group, options.tcp(), handler)
                : TcpServer.create(group, options.tcp(), tls, handler);
        listeners.add(tcp);
        return tcp.listen(host, port).map(t -> this);
    }

    private int indexOf(EventLoop loop) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].loop == loop) {
                return i;
            }
        }
        throw new IllegalStateException("connection on a foreign loop " + loop);
    }

    /** @return the port of the first {@link #listen}, -1 before it is bound */
    public int port() {
        return listeners.isEmpty() ? -1 : listeners.get(0).port();
    }

    /** @return the port of every {@link #listen} call, in call order (-1 for one not bound yet) */
    public List<Integer> ports() {
        return listeners.stream().map(TcpServer::port).toList();
    }

    /** @return the loops serving this server */
    public LoopGroup group() {
        return group;
    }

    /** @return the settings */
    public HttpOptions options() {
        return options;
    }

    /**
     * Graceful close (see the class documentation). Closes the loop group too if the server made it.
     *
     * @param grace how long in-flight requests may take
     * @return completes when every connection is closed
     */
    public CompletableFuture<Void> close(Duration grace) {
        if (ownsGroup) {
            return group.close(grace);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (listeners.isEmpty()) {
            done.complete(null);
            return done;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        // Connections are asked to finish, and responses start saying Connection: close, only once
        // no listener accepts any more: a client told to close reconnects at once, and must not land
        // on a listener about to close (without tcp_migrate_req, the kernel resets what is queued
        // on a listener in the instant it closes).
        List<Promise<Void>> listenersClosed = listeners.stream().map(TcpServer::close).toList();
        Promise.all(group.loop(0), listenersClosed).whenComplete((v, err) -> {
            closing = true;
            for (ServerLoop sl : loops) {
                sl.loop.execute(sl::shutdown);
            }
            awaitDrained(deadline, done);
        });
        return done;
    }

    private void awaitDrained(long deadline, CompletableFuture<Void> done) {
        EventLoop first = group.loop(0);
        first.setTimeout(10, () -> {
            if (connections() == 0) {
                for (ServerLoop sl : loops) {
                    sl.loop.execute(sl::stop);
                }
                done.complete(null);
            } else if (System.nanoTime() - deadline >= 0) {
                for (ServerLoop sl : loops) {
                    sl.loop.execute(() -> {
                        for (Http1ServerConnection c : new ArrayList<>(sl.connections)) {
                            c.connection().destroy();
                        }
                        sl.stop();
                    });
                }
                done.complete(null);
            } else {
                awaitDrained(deadline, done);
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // Metrics (any thread)

    /** @return the request latency histogram (head received to response ended), nanoseconds */
    public Histogram latency() {
        return latency;
    }

    /** @param statusClass 1..5 @return responses sent with that status class (2 = 2xx ...) */
    public long responses(int statusClass) {
        return statusCounts.get(statusClass);
    }

    /** @return connections accepted so far */
    public long accepted() {
        return listeners.stream().mapToLong(TcpServer::accepted).sum();
    }

    /** @return connections refused at accept because their loop was at its connection cap */
    public long refused() {
        return listeners.stream().mapToLong(TcpServer::rejected).sum();
    }

    /** @return request bytes received (heads and bodies) */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** @return response bytes encoded (file bodies sent with zero copy are not counted) */
    public long bytesOut() {
        return bytesOut.sum();
    }

    void bytesIn(long n) {
        bytesIn.add(n);
    }

    void bytesOut(long n) {
        bytesOut.add(n);
    }

    /** @return open connections */
    public int connections() {
        int n = 0;
        for (TcpServer t : listeners) {
            n += t.connections();
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------
    // Called by connections (loop thread)

    boolean isClosing() {
        return closing;
    }

    HttpOptions optionsInternal() {
        return options;
    }

    Http1Limits limits() {
        return limits;
    }

    byte[] serverLine() {
        return serverLine;
    }

    void dispatch(HttpRequest req, HttpResponse res) {
        req.startNanos = System.nanoTime();
        req.loop().labelCurrent(req); // a blocking handler is reported as "GET /path", not "http#42"

        try {
            for (Handler h : before) {
                h.handle(req, res);
                if (res.isEnded() || res.isCommitted() || res.isHeld()) {
                    return;
                }
            }
            Router.Match m = router.match(req.method(), req.path());
            if (m.handler() != null) {
                req.params(m.params());
                m.handler().handle(req, res);
            } else if (m.allowed() != null) {
                res.status(405).header("Allow", m.allowed()).contentType("text/plain; charset=utf-8")
                        .end("Method Not Allowed\n");
            } else {
                res.status(404).contentType("text/plain; charset=utf-8").end("Not Found\n");
            }
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            handleError(req, res, t);
        }
    }

    void handleError(HttpRequest req, HttpResponse res, Throwable t) {
        if (res.isCommitted()) {
            LOG.log(Level.WARNING, "handler for " + req + " failed after the response started; closing", t);
            if (!res.isEnded()) {
                res.abort();
            }
            return;
        }
        try {
            errorHandler.handle(req, res, t);
        } catch (Throwable t2) {
            LOG.log(Level.ERROR, "error handler failed for " + req, t2);
            if (!res.isCommitted()) {
                res.status(500).contentType("text/plain; charset=utf-8").end("Internal Server Error\n");
            }
        }
    }

    private static void defaultError(HttpRequest req, HttpResponse res, Throwable t) {
        if (t instanceof HttpException he) {
            res.status(he.status()).contentType("text/plain; charset=utf-8").end(he.safeMessage() + "\n");
            return;
        }
        LOG.log(Level.ERROR, "handler for " + req + " threw; answering 500", t);
        res.status(500).contentType("text/plain; charset=utf-8").end("Internal Server Error\n");
    }

    void finished(HttpRequest req, HttpResponse res) {
        latency.record(System.nanoTime() - req.startNanos);
        int cls = res.status() / 100;
        if (cls >= 1 && cls <= 5) {
            statusCounts.incrementAndGet(cls);
        }
        for (Handler h : after) {
            try {
                h.handle(req, res);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) {
                    throw vme;
                }
                LOG.log(Level.WARNING, "after-hook failed for " + req, t);
            }
        }
    }

    void rejected(int status) {
        statusCounts.incrementAndGet(status / 100);
    }

    void closed(Http1ServerConnection c, HttpRequest req, HttpResponse res) {
        // Connections are tracked by the TCP server and the per-loop sets; nothing else to do.
    }
}
