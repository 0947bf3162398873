package io.eventide.demo;

import io.eventide.bus.Bus;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.bus.Overflow;
import io.eventide.cli.Host;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.HttpServer;
import io.eventide.http.sse.Sse;
import io.eventide.http.topic.LocalTopic;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One worker of {@code ./eventide demo --cluster}: the launcher starts {@code eventide cluster}
 * (module eventide-cluster) with N of these sharing the port, and this page shows the whole claim at
 * once: every worker's loop lag, requests/s, connections and heap side by side; chat rooms across
 * workers over the machine's broker, with the history in PostgreSQL; a button that kills a worker
 * (the supervisor restarts it, the page's sockets reconnect, the page shows the gap); and a burst
 * of jobs queued on the broker, drained at the workers' pace, refused with 503 past its bound.
 *
 * <pre>
 *   browser ──► :8080 (SO_REUSEPORT) ──► worker 1 ─┐            ┌─► PostgreSQL (chat history)
 *                                    └─► worker 2 ─┼─ bus ─► broker: demo.chat, demo.metrics (fan-out),
 *                       supervisor: restarts, logs ┘                 demo.jobs (work queue) + .status
 * </pre>
 *
 * <p>Every worker publishes its dashboard samples on the bus address {@code <namespace>.metrics},
 * and relays what the broker delivers there to its own pages' event streams: any page, whichever
 * worker serves it, sees every worker (docs/cluster.md, "The cluster demo", says why the bus and
 * not the supervisor's status). Without a broker a page sees its own worker only, and says so.
 *
 * <p><b>Threading:</b> {@link #main} runs on the main thread at startup (service discovery blocks
 * briefly there); the routes run on the loops.
 */
public final class ClusterDemo {
    private static final String CONTROL_PROPERTY = "eventide.cluster.control";

    private ClusterDemo() {
    }

    /**
     * Runs this worker. Outside {@code eventide cluster} it explains how to start the cluster
     * demo and exits with status 2.
     *
     * @param args the demo's arguments ({@code --cluster}; {@code --tls} is refused)
     */
    public static void main(String[] args) {
        if (System.getProperty(CONTROL_PROPERTY) == null) {
            System.err.println("eventide: demo --cluster runs as the workers of eventide cluster: start it with"
                    + " ./eventide demo --cluster [-n N]");
            System.exit(2);
        }
        if (List.of(args).contains("--tls")) {
            System.err.println("eventide: demo --cluster serves plain http on 127.0.0.1 (each worker would make its own"
                    + " self-signed certificate); run ./eventide demo --tls for the https demo");
            System.exit(2);
        }
        Host host = Host.createOrExit(Map.of("host", "127.0.0.1", "admission.max-lag-ms", "5000"));
        Services services;
        try {
            services = Services.discover(host.group());
        } catch (IllegalArgumentException e) {
            System.err.println("eventide: " + e.getMessage());
            System.exit(2);
            return;
        }
        Bus bus = Bus.create(host.group());
        if (services.transport() != null) {
            bus.bridge(services.namespace() + ".", services.transport());
        }
        install(host, services, bus);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bus.closeAsync().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join(); // blocking-ok: exit hook
        }, "eventide-demo-close"));
        host.startOrExit();
        // Printed before this worker joins the shared port: it does once its relays are bound.
        System.out.println("eventide: demo worker " + host.clusterWorker() + " starting for http://" + host.config().host()
                + ":" + host.config().port() + "/ (broker: " + services.broker() + "; chat history: "
                + (services.pg() != null ? services.pgName() : "memory, PostgreSQL " + services.pgName()) + ")");
    }

    /**
     * Adds the cluster demo's routes.
     *
     * @param host the worker's host
     * @param services the broker and database found
     * @param bus the bus, bridged to the broker when there is one
     */
    static void install(Host host, Services services, Bus bus) {
        HttpServer app = host.http();
        String worker = Optional.ofNullable(host.clusterWorker()).orElse("0");
        long pid = ProcessHandle.current().pid();
        EventLoop home = host.group().loop(0);
        ClusterChat chat = new ClusterChat(services, bus, worker, home);
        Jobs jobs = new Jobs(bus, services, app, home);
        LocalTopic<String> metrics = LocalTopic.create("demo-metrics");
        Consumer<String> out = metrics::publish;
        if (services.transport() != null) {
            String address = services.address("metrics");
            // Ready (in the port's rotation) once this worker's own first sample came back through the
            // broker: its relays are bound, so a page it serves misses nobody's messages. At most 10 s.
            Promise<Void> relaying = home.promise();
            String mine = "\"pid\":" + pid + ",";
            home.execute(() -> home.setTimeout(10_000, () -> relaying.resolve(null)));
            host.readyAfter(relaying);
            bus.subscribe(home, address, ConsumerOptions.defaults().credit(1).capacity(256).overflow(Overflow.DROP_OLDEST),
                    Handler.sync(d -> {
                        String text = d.message().text();
                        if (!relaying.isDone() && text.contains(mine)) {
                            relaying.resolve(null);
                        }
                        metrics.publish(text);
                    }));
            out = json -> bus.publish(address, Message.of(json)).onFailure(e -> {
                // A sample the broker did not take is a point missing on the charts; the next one follows in 250 ms.
            });
        }
        new Dashboard(host, () -> "\"worker\":" + JsonText.quote(worker) + ",\"pid\":" + pid + ",\"rooms\":" + chat.rooms()
                + "," + jobs.fields(), out);
        boolean killable = loopback(host.config().host());
        String info = "{\"cluster\":true,\"worker\":" + JsonText.quote(worker) + ",\"pid\":" + pid + ",\"broker\":"
                + JsonText.quote(services.brokerKind()) + ",\"brokerUrl\":" + JsonText.quote(services.broker())
                + ",\"fanout\":" + JsonText.quote(chat.fanout()) + ",\"history\":" + JsonText.quote(chat.history())
                + ",\"postgres\":" + (services.pg() != null) + ",\"kill\":" + killable
                + ",\"jobs\":{\"queue\":" + JsonText.quote(jobs.address()) + ",\"bound\":" + Jobs.MAX_BACKLOG + ",\"credit\":"
                + Jobs.CREDIT + ",\"jobMs\":" + Jobs.JOB_MS + "}}";
        byte[] page = Demo.resource("cluster.html");
        app.get("/", (req, res) -> res.contentType("text/html; charset=utf-8").end(page));
        app.get("/demo/info", (req, res) -> res.contentType("application/json").header("cache-control", "no-store").end(info));
        app.get("/demo/metrics", (req, res) -> metrics.subscribe(Sse.start(req, res)));
        app.get("/demo/chat", WebSockets.handler(WebSocketOptions.defaults(), chat::join));
        app.get("/demo/hello", (req, res) -> res.contentType("text/plain").end("hello"));
        app.post("/demo/kill", (req, res) -> kill(req, res, killable, worker));
        Demo.cpuRoutes(app);
    }

    /**
     * The kill button. Only when the demo listens on a loopback address and the request comes from
     * one: a demo exposed on a network never lets a visitor kill its processes. The target is this
     * worker (it answers, then halts at once, as a crash would) or a sibling: a child of this
     * worker's own supervisor started for that slot, sent SIGKILL.
     */
    private static void kill(HttpRequest req, HttpResponse res, boolean killable, String worker) {
        if (!killable || !req.remoteAddress().getAddress().isLoopbackAddress()) {
            res.status(403).contentType("application/json").end("{\"error\":\"the kill button works only when the demo"
                    + " listens on 127.0.0.1, for requests from 127.0.0.1\"}");
            return;
        }
        if (!sameLocalOrigin(req)) {
            res.status(403).contentType("application/json").end("{\"error\":\"the kill button answers only the demo's own"
                    + " page, at a loopback address\"}");
            return;
        }
        String target = Optional.ofNullable(req.queryParam("worker")).orElse(worker);
        if (!target.matches("[0-9]{1,4}")) {
            res.status(400).contentType("application/json").end("{\"error\":\"worker must be a worker number\"}");
            return;
        }
        if (target.equals(worker)) {
            res.contentType("application/json").end("{\"killed\":" + JsonText.quote(worker) + ",\"pid\":"
                    + ProcessHandle.current().pid() + ",\"by\":" + JsonText.quote(worker) + "}");
            // After the answer has gone out; halt, not exit: no drain, no shutdown hooks, like kill -9.
            req.loop().setTimeout(100, () -> Runtime.getRuntime().halt(1)); // status 1: a crash
            return;
        }
        // Reading /proc for the siblings' command lines is file I/O: on a worker thread, not the loop.
        req.loop().offload(() -> killSibling(target)).whenComplete((pid, err) -> {
            if (err != null || pid < 0) {
                res.status(404).contentType("application/json").end("{\"error\":\"no running worker " + target + "\"}");
            } else {
                res.contentType("application/json").end("{\"killed\":" + JsonText.quote(target) + ",\"pid\":" + pid
                        + ",\"by\":" + JsonText.quote(worker) + "}");
            }
        });
    }

    /**
     * A page on another site open in the same browser could post here too (the request does come
     * from 127.0.0.1), and a name of its own resolving to 127.0.0.1 (DNS rebinding) could make it
     * same-origin. So: the Host must be a loopback name or address, and a browser's Origin, when
     * sent, must be this very host.
     */
    private static boolean sameLocalOrigin(HttpRequest req) {
        String host = req.header("host");
        if (host == null || !host.matches("(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]{1,5})?")) {
            return false;
        }
        String origin = req.header("origin");
        return origin == null || origin.equals("http://" + host);
    }

    /** @return the pid sent SIGKILL, or -1 when this worker's supervisor has no child for that slot */
    private static long killSibling(String slot) {
        String mark = "-Deventide.cluster.slot=" + slot;
        ProcessHandle me = ProcessHandle.current();
        Optional<ProcessHandle> supervisor = me.parent();
        if (supervisor.isEmpty()) {
            return -1;
        }
        for (ProcessHandle p : supervisor.get().children().toList()) {
            if (p.pid() != me.pid() && arguments(p).contains(mark) && p.destroyForcibly()) {
                return p.pid();
            }
        }
        return -1;
    }

    /** The JDK cuts command lines at 4 KiB and then gives no arguments at all: read /proc where it exists. */
    private static List<String> arguments(ProcessHandle p) {
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return List.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        } catch (java.io.IOException | SecurityException e) {
            return List.of(p.info().arguments().orElse(new String[0])); // not Linux, or it just exited
        }
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress(); // blocking-ok: startup, on main
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
