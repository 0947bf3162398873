package io.eventide.http;

import io.eventide.core.EventLoop;
import io.eventide.core.Histogram;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.tls.ServerTls;
import io.eventide.core.tls.TlsStats;
import io.eventide.http.internal.server.Dispatcher;
import io.eventide.http.internal.server.Exchange;
import io.eventide.http.internal.server.ServerEngine;
import io.eventide.http.internal.server.Warmups;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

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
 * <p>The first {@link #listen} runs the warm-ups other modules provide
 * ({@link io.eventide.http.spi.Warmup}, e.g. Jackson's set-up), off the loops, before binding.
 *
 * <p>Graceful close ({@link #close(Duration)}): stop accepting (connections the kernel already queued
 * are accepted and served), then, once every listener is closed, close idle keep-alive connections,
 * let in-flight requests finish and answer them with {@code Connection: close}, then force-close
 * what is left at the deadline. (A response that ends before the listeners are closed keeps its
 * connection: a client told to close would reconnect onto a listener about to close; the
 * connection is then treated as idle.) A connection that was used less than a second ago is not
 * closed while idle: its client may be sending a request at this very moment (a proxy reusing a
 * pooled connection), and closing under it would lose that request. It gets until it has been idle
 * for a second, and a request that arrives meanwhile is answered with {@code Connection: close}.
 * Upgraded connections (WebSocket) are told to go (1001) but not waited for; the loop group's
 * close waits for them.
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

    /**
     * Hears the end of every request the server dispatched, once: its response ended, or its
     * connection closed first (the client left mid-response, the handler destroyed it). What an
     * access log needs; see {@link HttpServer#onResponseDone}.
     *
     * <p><b>Threading:</b> called on the request's loop: keep it short, never block.
     */
    @FunctionalInterface
    public interface ResponseListener {
        /**
         * @param req the request
         * @param res its response: {@link HttpResponse#status()}, {@link HttpResponse#bodyBytes()}
         * @param completed true when the response ended; false when the connection closed first
         */
        void done(HttpRequest req, HttpResponse res, boolean completed);
    }

    private final LoopGroup group;
    private final boolean ownsGroup;
    private final HttpOptions options;
    private final Router router = new Router();
    private final List<Handler> before = new ArrayList<>();
    private final List<Handler> after = new ArrayList<>();
    private final List<ResponseListener> done = new ArrayList<>();
    private final List<Consumer<HttpServer>> listening = new ArrayList<>();
    private volatile String host;
    private final ServerEngine engine;
    private ErrorHandler errorHandler = HttpServer::defaultError;
    private volatile ServerTls tls;

    private HttpServer(LoopGroup group, boolean ownsGroup, HttpOptions options) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.options = options;
        this.engine = new ServerEngine(group, options, Dispatcher.of(this::dispatch, this::finished, this::aborted, this::failed));
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

    /**
     * Mounts every route of {@code routes} under {@code prefix} (see {@link Router#mount}).
     *
     * @param prefix a path starting with {@code /}
     * @param routes the routes
     * @return this server
     */
    public HttpServer mount(String prefix, Router routes) {
        router.mount(prefix, routes);
        return this;
    }

    /** @param hook runs before routing; ending the response stops the chain @return this */
    public HttpServer before(Handler hook) {
        before.add(Objects.requireNonNull(hook));
        return this;
    }

    /**
     * Adds a listener that hears, once per request, that its response ended or that its connection
     * closed before it did (an {@link #after} hook hears only the first). Add before {@link #listen}.
     *
     * @param listener runs on the request's loop
     * @return this
     */
    public HttpServer onResponseDone(ResponseListener listener) {
        done.add(Objects.requireNonNull(listener));
        return this;
    }

    /** @param hook runs after each response ended (logs, metrics) @return this */
    public HttpServer after(Handler hook) {
        after.add(Objects.requireNonNull(hook));
        return this;
    }

    /**
     * Like Node's {@code 'listening'} event: runs once the server listens, however
     * {@link #listen} was called. A host uses it to announce the server and to install its drain.
     *
     * @param handler called with this server on a loop thread once listening; keep it short
     * @return this server
     */
    public HttpServer onListening(Consumer<HttpServer> handler) {
        listening.add(Objects.requireNonNull(handler));
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
        if (!engine.ports().isEmpty()) {
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
        return engine.tlsStats();
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
        this.host = host;
        EventLoop caller = EventLoop.current();
        if (caller == null) {
            Warmups.runOnce(); // before the first request, off the loops (issue 9, defect 10)
            return engine.listen(host, port, tls).map(v -> listening());
        }
        return caller.offload(() -> {
            Warmups.runOnce();
            return this;
        }).flatMap(v -> engine.listen(host, port, tls)).map(v -> listening());
    }

    private HttpServer listening() {
        for (Consumer<HttpServer> h : listening) {
            h.accept(this);
        }
        return this;
    }

    /** @return the address given to {@link #listen}, or null before */
    public String host() {
        return host;
    }

    /** @return the port of the first {@link #listen}, -1 before it is bound */
    public int port() {
        return engine.port();
    }

    /** @return the port of every {@link #listen} call, in call order (-1 for one not bound yet) */
    public List<Integer> ports() {
        return engine.ports();
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
     * Graceful close (see the class documentation); idempotent. A server that made its own loop
     * group closes the group once its connections are done.
     *
     * @param grace how long in-flight requests may take
     * @return resolved once every HTTP connection is closed; rejected with
     *     {@link io.eventide.core.DeadlineExceededException} if some were still busy at the
     *     deadline and had to be cut off
     */
    public Promise<Void> close(Duration grace) {
        Promise<Void> done = engine.close(grace);
        if (ownsGroup) {
            done.whenComplete((v, e) -> group.close(Duration.ofSeconds(1)));
        }
        return done;
    }

    // ------------------------------------------------------------------------------------------
    // Metrics (any thread)

    /** @return the request latency histogram (head received to response ended), nanoseconds */
    public Histogram latency() {
        return engine.latency();
    }

    /** @param statusClass 1..5 @return responses sent with that status class (2 = 2xx ...) */
    public long responses(int statusClass) {
        return engine.responses(statusClass);
    }

    /** @return connections accepted so far */
    public long accepted() {
        return engine.accepted();
    }

    /** @return connections refused at accept because their loop was at its connection cap */
    public long refused() {
        return engine.refused();
    }

    /** @return request bytes received (heads and bodies) */
    public long bytesIn() {
        return engine.bytesIn();
    }

    /** @return response bytes encoded (file bodies sent with zero copy are not counted) */
    public long bytesOut() {
        return engine.bytesOut();
    }

    /** @return open connections */
    public int connections() {
        return engine.connections();
    }

    // ------------------------------------------------------------------------------------------
    // Routing: what the engine calls (loop thread)

    // The API side of the engine: facades, hooks, routes and the error handler.

    private void dispatch(Exchange x) {
        HttpRequest req = new HttpRequest(x);
        HttpResponse res = new HttpResponse(x, req);
        x.attach(res);
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
                x.routed(m.pattern(), m.params());
                m.handler().handle(req, res);
            } else if (m.allowed() != null) {
                x.routed(m.pattern(), m.params()); // the route exists, not for this method
                res.status(405).header("Allow", m.allowed()).contentType("text/plain; charset=utf-8")
                        .end("Method Not Allowed\n");
            } else {
                res.status(404).contentType("text/plain; charset=utf-8").end("Not Found\n");
            }
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            failed(x, t);
        }
    }

    private void failed(Exchange x, Throwable t) {
        HttpResponse res = x.attachment();
        HttpRequest req = res.request();
        if (res.isCommitted()) {
            LOG.log(Level.WARNING, "handler for " + req + " failed after the response started; closing", t);
            if (!res.isEnded()) {
                res.destroy();
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

    private void finished(Exchange x) {
        if (after.isEmpty() && done.isEmpty()) {
            return;
        }
        HttpResponse res = x.attachment();
        HttpRequest req = res.request();
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
        notifyDone(res, true);
    }

    private void aborted(Exchange x, Throwable cause) {
        HttpResponse res = x.attachment();
        if (res != null) {
            notifyDone(res, false);
        }
    }

    private void notifyDone(HttpResponse res, boolean completed) {
        for (ResponseListener l : done) {
            try {
                l.done(res.request(), res, completed);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) {
                    throw vme;
                }
                LOG.log(Level.WARNING, "response listener failed for " + res.request(), t);
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
}
