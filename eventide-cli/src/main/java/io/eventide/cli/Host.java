package io.eventide.cli;

import io.eventide.core.BlockedLoopReport;
import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventideException;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.Promise;
import io.eventide.core.tls.ServerTls;
import io.eventide.core.tls.TlsException;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts an HTTP app the way {@code node app.js} does: configuration from the environment and a file
 * ({@link HostConfig}), one loop per core, {@code /healthz}, {@code /readyz} and Prometheus
 * {@code /metrics}, admission control, one startup line, and a graceful drain on SIGTERM/SIGINT
 * that ends with exit code 0.
 *
 * <pre>{@code
 * Host host = Host.create();
 * host.http().get("/", (req, res) -> res.end("hello"));
 * host.start();   // eventide: listening on http://0.0.0.0:8080 (2 loops, JDK 25, pid 4242, ...)
 * }</pre>
 *
 * <p><b>Admission control:</b> before a request's body is read, if its loop's recent lag
 * ({@link io.eventide.core.EventLoop#recentLag()}) is past {@code admission.max-lag-ms} or the worker
 * queue is past {@code admission.max-worker-queue}, it is answered {@code 503} with
 * {@code Retry-After: 1} and counted in {@code eventide_admission_shed_total}. Health, readiness and
 * metrics are exempt.
 *
 * <p><b>Readiness</b>: {@code /readyz} answers 200 once the host listens and every gate given to
 * {@link #readyAfter} has completed (an app warming a cache, connecting to its database), 503
 * before that and from the first moment of a drain, so a balancer that probes it moves on at once.
 *
 * <p><b>Drain</b> ({@link #drain()}): readiness turns false, the listener closes (connections already
 * in its accept queue are served first), in-flight requests finish (answered with
 * {@code Connection: close}), long-lived responses get their {@code onShutdown} (SSE streams end),
 * upgraded connections get {@code Connection.onShutdown} (WebSockets close with 1001 Going Away);
 * what is left at the grace deadline is closed by force.
 *
 * <p><b>Under {@code eventide cluster}</b> (module eventide-cluster; the supervisor sets the system
 * property {@code eventide.cluster.control}): the worker listens first on a port of its own (same
 * address, any free port: its {@code /metrics} for Prometheus), joins the shared port with an
 * SO_REUSEPORT listener per loop only once the app is ready, tells the supervisor, reports its
 * figures every second, drains on the supervisor's SIGTERM, and drains by itself if the supervisor
 * disappears. One loop per worker unless configured.
 *
 * <p><b>Threading:</b> configure routes before {@link #start()}, from one thread; {@link #drain()}
 * may be called from any thread.
 */
public final class Host {
    private final HostConfig config;
    private final LoopGroup group;
    private final HttpServer server;
    private final LoopSampler sampler;
    private final HostMetrics metrics;
    /** The access log ({@code access-log}), or null when off. */
    private final AccessLog accessLog;
    /** The supervisor of {@code eventide cluster}, or null when not started by one. */
    private final ClusterLink cluster;
    /** Set before {@link #start()}, on the configuring thread. */
    private final List<Promise<?>> readyGates = new ArrayList<>();
    private volatile boolean ready;
    private volatile int publicPort = -1;
    private volatile boolean draining;
    private volatile BlockedLoopReport lastBlocked;
    private volatile Promise<Void> drained;
    /** Set by {@link #start()}: it announces the listener itself (the cluster's own port is not news). */
    private volatile boolean startedByHost;
    private final AtomicBoolean signalsInstalled = new AtomicBoolean();

    private Host(HostConfig config) {
        Logging.configure(config);
        this.config = config;
        LoopOptions defaults = LoopOptions.defaults();
        this.group = LoopGroup.create(defaults.toBuilder().loops(config.loops())
                .blockedThreshold(config.blockedThreshold())
                .transport(config.transport())
                .onBlocked(r -> {
                    lastBlocked = r;
                    defaults.onBlocked().accept(r);
                }).build());
        this.cluster = ClusterLink.fromSystem();
        HttpOptions http = config.http();
        this.server = HttpServer.create(group, cluster == null ? http : http.toBuilder().tcp(http.tcp().reusePort(true)).build());
        ServerTls tls = config.tls();
        if (tls != null) {
            server.tls(tls);
        }
        // However the server is started (start(), or the app's own listen()), it is announced and
        // drained the same way: Eventide.http() followed by listen() used to skip the drain.
        server.onListening(s -> {
            if (!startedByHost) {
                announce(s.host(), s.port(), "");
            }
        });
        this.sampler = new LoopSampler(group, Duration.ofMillis(250));
        this.metrics = new HostMetrics(group, server, sampler);
        String sticky = config.get("cluster.sticky");
        if (cluster != null && !sticky.equals("off")) {
            StickyRelay relay = new StickyRelay(sticky, cluster.slot(), group);
            cluster.onPeers(relay::peers);
            server.before(relay::route); // first: a relayed request is shed or served by its own worker
        }
        installRoutes();
        this.accessLog = AccessLog.create(config);
        if (accessLog != null) {
            server.onResponseDone(accessLog);
        }
    }

    /** @return the access log, or null when {@code access-log} is off (tests read what it wrote) */
    AccessLog accessLog() {
        return accessLog;
    }

    /** Looked up when used: the backend is configured by the first host (see {@link Logging}). */
    private static Logger log() {
        return LoggerFactory.getLogger("io.eventide.host");
    }

    /** @return a host configured from this process's environment and config file */
    public static Host create() {
        return new Host(HostConfig.load());
    }

    /** @param config explicit configuration @return a host */
    public static Host create(HostConfig config) {
        return new Host(config);
    }

    /**
     * For a {@code main} method: a host configured from this process, or, when the configuration
     * is wrong (unknown key, bad value), one line on standard error and exit status 2.
     *
     * @param appDefaults the app's own defaults, by key (below file, environment and flags)
     * @return the host
     */
    public static Host createOrExit(Map<String, String> appDefaults) {
        HostConfig config;
        try {
            config = HostConfig.load(appDefaults);
        } catch (ConfigException e) {
            System.err.println("eventide: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
        return new Host(config);
    }

    private void installRoutes() {
        server.before(this::admit);
        server.after((req, res) -> metrics.observeLatency(req.method(), req.route(), System.nanoTime() - req.startNanos()));
        server.get("/healthz", (req, res) -> res.contentType("text/plain").end("ok\n"));
        server.get("/readyz", (req, res) -> {
            if (draining || !ready) {
                res.status(503).contentType("text/plain").end(draining ? "draining\n" : "starting\n");
            } else {
                res.contentType("text/plain").end("ready\n");
            }
        });
        server.get("/metrics", (req, res) -> res.contentType(metrics.contentType()).end(metrics.scrape()));
    }

    private void admit(HttpRequest req, HttpResponse res) {
        String p = req.path();
        if (p.equals("/healthz") || p.equals("/readyz") || p.equals("/metrics")) {
            return;
        }
        long lag = req.loop().recentLag();
        int queued = group.workers().queued();
        if (lag > config.maxLag().toNanos() || queued > config.maxWorkerQueue()) {
            metrics.shed();
            res.status(503).header("Retry-After", "1").contentType("text/plain")
                    .end("overloaded: " + (queued > config.maxWorkerQueue() ? "worker queue full" : "loop lag too high")
                            + ", retry later\n");
        }
    }

    /** @return the HTTP server: add routes before {@link #start()} */
    public HttpServer http() {
        return server;
    }

    /** @return the loops */
    public LoopGroup group() {
        return group;
    }

    /** @return the metrics (add application metrics to its registry) */
    public HostMetrics metrics() {
        return metrics;
    }

    /** @return per-loop busy ratios */
    public LoopSampler loops() {
        return sampler;
    }

    /** @return the configuration */
    public HostConfig config() {
        return config;
    }

    /** @return the watchdog's latest report of a blocked loop, or null */
    public BlockedLoopReport lastBlocked() {
        return lastBlocked;
    }

    /**
     * Reads the certificate and key files again (after a renewal) and serves them to new
     * handshakes; open connections keep theirs. On SIGHUP, like nginx. A bad file is logged and
     * the certificates in force stay. Not on a loop: it reads files.
     *
     * @return whether the new files are in force
     */
    public boolean reloadTls() {
        ServerTls tls = server.tls();
        if (tls == null) {
            return false;
        }
        try {
            tls.reload();
            log().info("TLS certificates reloaded from {}", config.get("tls.cert"));
            return true;
        } catch (TlsException e) {
            log().error("TLS reload failed, the previous certificates stay in force: {}", e.getMessage());
            return false;
        }
    }

    /** @return whether a drain has begun (readiness is false) */
    public boolean isDraining() {
        return draining;
    }

    /** @return whether the host is ready: listening, every {@link #readyAfter} gate done, not draining */
    public boolean isReady() {
        return ready && !draining;
    }

    /**
     * Holds readiness until {@code gate} completes: {@code /readyz} answers 503 until then and, under
     * {@code eventide cluster}, the worker joins the shared port only then. A gate that fails stops
     * the app (one line, exit status 1). Call before {@link #start()}.
     *
     * @param gate completes when the app is ready (a warmed cache, a connected pool)
     * @return this host
     */
    public Host readyAfter(Promise<?> gate) {
        readyGates.add(gate);
        return this;
    }

    /**
     * Listens, prints the startup line and installs the SIGTERM/SIGINT handlers; readiness follows
     * once every {@link #readyAfter} gate has completed.
     *
     * @return this host
     */
    public Host start() {
        startedByHost = true;
        installSignals();
        if (cluster == null) {
            listenPublic();
        } else {
            listen(config.host(), 0); // the worker's own port: first, so metrics and health answer during startup
            cluster.connect(this::clusterStats, this::drainAndExit);
        }
        if (readyGates.isEmpty()) {
            becomeReady();
        } else {
            Promise.all(group.loop(0), readyGates).whenComplete((v, err) ->
                    Thread.ofPlatform().name("eventide-ready").start(() -> { // not on the loop: listening joins
                        if (err != null) {
                            System.err.println("eventide: the app did not become ready: " + err);
                            System.exit(1);
                        }
                        try {
                            becomeReady();
                        } catch (EventideException e) {
                            System.err.println("eventide: " + e.getMessage());
                            System.exit(1);
                        }
                    }));
        }
        return this;
    }

    private void becomeReady() {
        if (cluster != null) {
            listenPublic(); // joining the SO_REUSEPORT group is what puts a worker in rotation
        }
        ready = true;
        if (cluster != null) {
            cluster.ready(publicPort, server.port());
        }
    }

    private void listenPublic() {
        listen(config.host(), config.port());
        List<Integer> ports = server.ports();
        publicPort = ports.get(ports.size() - 1);
        announce(config.host(), publicPort,
                cluster == null ? "" : "; cluster worker " + cluster.slot() + ", own port " + server.port());
    }

    private void installSignals() {
        if (signalsInstalled.compareAndSet(false, true)) {
            Signals.onTerminate(this::drainAndExit);
            if (server.tls() != null) {
                Signals.onReload(this::reloadTls);
            }
        }
    }

    /** The server listens: SIGTERM/SIGINT drain it, and one line says where it listens. */
    private void announce(String host, int port, String extra) {
        installSignals();
        String overrides = config.overrides();
        // blocking-ok: one line, once per public listener, as the server starts (before it has served anything)
        System.out.println("eventide: listening on " + (server.tls() != null ? "https" : "http") + "://" + host + ":" + port
                + " ("
                + group.size() + (group.size() == 1 ? " loop" : " loops") + ", JDK " + Runtime.version()
                + ", pid " + ProcessHandle.current().pid() + ", config " + config.source()
                + (overrides.isEmpty() ? "" : "; " + overrides) + extra + ")");
        System.out.flush();
    }

    private void listen(String host, int port) {
        if (io.eventide.core.EventLoop.current() != null) {
            throw new IllegalStateException("Host.start() waits for the listener: call it from main, not from a loop");
        }
        // Started on a loop with its handler attached in the same callback: a bind that fails at
        // once (port in use) is handled, not reported as an unhandled rejection before this
        // thread could get to join it.
        java.util.concurrent.CompletableFuture<HttpServer> bound = new java.util.concurrent.CompletableFuture<>();
        group.loop(0).execute(() -> server.listen(host, port).whenComplete((s, e) -> {
            if (e != null) {
                bound.completeExceptionally(e);
            } else {
                bound.complete(s);
            }
        }));
        try {
            bound.join(); // blocking-ok: startup, main or eventide-ready thread (refused on a loop above)
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            group.close(Duration.ofSeconds(1));
            throw new EventideException("cannot listen on " + host + ":" + port + ": "
                    + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        }
    }

    /** @return this worker's number (1..N) under {@code eventide cluster}, else null (see {@code cluster.sticky}) */
    public String clusterWorker() {
        return cluster == null ? null : cluster.slot();
    }

    /** @return the public port, once listening (the shared port under {@code eventide cluster}), else -1 */
    public int port() {
        return publicPort;
    }

    private String clusterStats() {
        long requests = 0;
        for (int c = 1; c <= 5; c++) {
            requests += server.responses(c);
        }
        long lag = 0;
        for (io.eventide.core.EventLoop l : group.loops()) {
            lag = Math.max(lag, l.recentLag());
        }
        Runtime rt = Runtime.getRuntime();
        return "requests=" + requests + " conns=" + server.connections() + " heap=" + (rt.totalMemory() - rt.freeMemory())
                + " heapmax=" + rt.maxMemory() + " lag=" + lag / 1000;
    }

    /**
     * For a {@code main} method: {@link #start()}, or, when the server cannot listen (port in use,
     * no permission), one line on standard error and exit status 1 instead of a stack trace and a
     * process that never exits.
     *
     * @return this host, listening
     */
    public Host startOrExit() {
        try {
            return start();
        } catch (EventideException e) {
            System.err.println("eventide: " + e.getMessage());
            System.exit(1);
            throw e; // not reached
        }
    }

    /**
     * Drains gracefully (see the class documentation); idempotent. The loops stop right after.
     *
     * @return resolved when every HTTP connection is closed; rejected with
     *     {@link DeadlineExceededException} when some requests were still in flight at the grace
     *     deadline and were cut off
     */
    public synchronized Promise<Void> drain() {
        if (drained == null) {
            draining = true;
            if (cluster != null) {
                cluster.draining();
            }
            drained = server.close(config.grace());
            drained.whenComplete((v, e) -> {
                group.close(Duration.ofSeconds(1));
                if (accessLog != null) {
                    // Off the loop: closing waits for the writer to write what is queued.
                    Thread.ofPlatform().name("eventide-access-log-close").start(accessLog::close);
                }
            });
        }
        return drained;
    }

    private void drainAndExit() {
        Thread t = new Thread(() -> {
            log().info("draining (signal received, grace {} ms)", config.grace().toMillis());
            int status;
            try {
                drain().join(config.grace().plusSeconds(5)); // blocking-ok: own drain thread
                log().info("drained, exiting");
                status = 0;
            } catch (DeadlineExceededException e) {
                // Go's Shutdown returns the context's error in this case; a process manager should
                // see that requests were lost, so the exit status says it too.
                log().error("drain cut requests off: {}; exiting with status 1", e.getMessage());
                status = 1;
            } catch (RuntimeException e) {
                log().error("drain failed; exiting with status 1", e);
                status = 1;
            }
            try {
                group.close(Duration.ofSeconds(1)).join(); // blocking-ok: own drain thread
            } catch (RuntimeException e) {
                log().warn("loops did not stop cleanly", e);
            }
            if (accessLog != null) {
                accessLog.close(); // every line of the drained requests written before exit
            }
            System.exit(status);
        }, "eventide-drain");
        // Created from the JVM's signal thread, it would inherit daemon status, and the JVM could
        // exit as soon as the loops stop, before this thread reports and chooses the exit code.
        t.setDaemon(false);
        t.start();
    }
}
