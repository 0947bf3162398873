package io.eventide.cluster.internal;

import io.eventide.cluster.ClusterOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor: starts N workers, restarts those that die, replaces them one by one on reload or
 * when one passes the memory limit, and stops them all gracefully. Every decision is taken on one
 * thread, from a queue of events (worker lines, exits, timers, commands, signals), like a loop.
 *
 * <p>Replacing the worker of a slot (reload, memory limit), without losing a request:
 * <ol>
 *   <li>start the new worker; it listens on a port of its own, and on the shared port (its own
 *       SO_REUSEPORT listeners, in the same group as the others) only once the app is ready;</li>
 *   <li>wait for its {@code ready} line (a worker not ready within the ready timeout is killed and
 *       the old one keeps serving);</li>
 *   <li>send the old worker SIGTERM: it fails readiness, accepts what its accept queue holds and
 *       closes its listeners (the kernel moves requests still in flight to the siblings where
 *       {@code net.ipv4.tcp_migrate_req=1}), then answers in-flight requests with
 *       {@code Connection: close}, closes WebSockets with 1001 and ends SSE streams, and exits;</li>
 *   <li>after it exited (or was killed at the kill timeout), go on with the next slot.</li>
 * </ol>
 * A crash (any exit not asked for) restarts the slot after a doubling delay (see {@link Slot}).
 *
 * <p><b>Threading:</b> {@link #run} on the thread that calls it, which becomes the supervisor
 * thread; {@link #post} from any thread.
 */
public final class Supervisor {
    private final ClusterOptions opts;
    private final Logs logs;
    private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "eventide-cluster-timer");
        t.setDaemon(true);
        return t;
    });
    private final Slot[] slots;
    private final List<Worker> retired = new ArrayList<>();
    private final Map<Long, Worker> byPid = new HashMap<>();
    private final long startedNanos = System.nanoTime();
    private final RunDir runDir;
    private final WorkerLauncher launcher;
    private final Map<Peer, Worker> workerPeers = new HashMap<>();
    private ControlServer control;
    private RollingReload reload;
    private boolean stopping;
    private boolean forced;

    /**
     * @param opts the options
     * @param out where the supervisor's and the workers' lines go
     * @param err where the workers' standard error goes
     * @throws IOException if the log directory cannot be created
     */
    public Supervisor(ClusterOptions opts, PrintStream out, PrintStream err) throws IOException {
        this.opts = opts;
        this.logs = new Logs(opts.logDir(), out, err);
        this.runDir = new RunDir(opts.runDir());
        this.launcher = new WorkerLauncher(opts.command(), runDir.socket(), logs);
        this.slots = new Slot[opts.workers()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i + 1);
        }
    }

    /** @param event runs on the supervisor thread */
    void post(Runnable event) {
        events.add(event);
    }

    /**
     * Runs the cluster until it is stopped (SIGTERM, SIGINT, {@code eventide cluster stop}).
     *
     * @return the exit status: 0 when every worker drained and exited, 1 when one had to be killed
     * @throws IOException if the run directory or control socket cannot be set up
     */
    public int run() throws IOException {
        runDir.create(opts.name());
        control = new ControlServer(runDir.socket(), (peer, line) -> post(() -> onLine(peer, line)));
        Signals.on("TERM", () -> post(() -> stop("SIGTERM")));
        Signals.on("INT", () -> post(() -> stop("SIGINT")));
        Signals.on("HUP", () -> post(() -> startReload(null)));
        logs.event(null, "supervisor pid " + ProcessHandle.current().pid() + " starting " + slots.length + " worker"
                + (slots.length == 1 ? "" : "s") + " of: " + launcher.brief() + " (name " + opts.name()
                + ", control " + runDir.socket() + ", logs " + logs.dir() + "/, tcp_migrate_req " + RunDir.migrateReq() + ")");
        for (Slot s : slots) {
            spawn(s, false);
        }
        timer.scheduleAtFixedRate(() -> post(this::tick), 1, 1, TimeUnit.SECONDS);
        while (!(stopping && allExited())) {
            try {
                events.take().run(); // blocking-ok: the supervisor thread waits for its next event
            } catch (InterruptedException e) {
                stop("interrupt");
            }
        }
        logs.event(null, forced ? "stopped; a worker had to be killed" : "stopped; every worker drained and exited");
        cleanUp();
        return forced ? 1 : 0;
    }

    private void cleanUp() throws IOException {
        timer.shutdownNow();
        control.close();
        runDir.remove();
        logs.close();
    }

    // ------------------------------------------------------------------------------------------
    // Workers

    Worker spawn(Slot s, boolean replacement) {
        Worker w;
        try {
            w = launcher.start(s.index);
        } catch (IOException e) {
            logs.event(null, "cannot start worker " + s.index + ": " + e.getMessage());
            if (!replacement) {
                scheduleRestart(s);
            }
            return null;
        }
        byPid.put(w.pid, w);
        w.process.onExit().thenRun(() -> post(() -> exited(w)));
        if (replacement) {
            s.next = w;
        } else {
            s.current = w;
        }
        logs.event(w, "worker " + s.index + " starting: pid " + w.pid + ", generation " + w.generation
                + (replacement && s.current != null ? ", to replace pid " + s.current.pid : ""));
        return w;
    }

    private void onLine(Peer peer, String line) {
        if (line == null) {
            return; // a worker's link or a command connection ended; exits are seen from the process
        }
        String verb = Peer.verb(line);
        Map<String, String> f = Peer.fields(line);
        Worker w = byPid.get(parsePid(f.get("pid")));
        switch (verb) {
            case "hello" -> {
                if (w == null) {
                    peer.say("error unknown worker pid " + f.get("pid"));
                    peer.close();
                } else {
                    workerPeers.put(peer, w);
                    peer.say(StatusReport.peersLine(this));
                }
            }
            case "ready", "stats", "draining" -> workerLine(workerPeers.get(peer), verb, f);
            case "status" -> StatusReport.reply(peer, this, line.contains(" json"));
            case "reload" -> startReload(peer);
            case "stop" -> {
                peer.say("ok stopping");
                peer.close();
                stop("eventide cluster stop");
            }
            default -> {
                peer.say("failed unknown command '" + verb + "' (status, reload, stop)");
                peer.close();
            }
        }
    }

    private static long parsePid(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void workerLine(Worker w, String verb, Map<String, String> f) {
        if (w == null || !w.alive()) {
            return;
        }
        switch (verb) {
            case "ready" -> ready(w, f);
            case "stats" -> w.stats(f);
            default -> {
                if (w.drainReason == null) {
                    w.drainReason = "its own decision";
                    w.drainNanos = System.nanoTime();
                    w.state = Worker.State.DRAINING;
                }
            }
        }
    }

    private void ready(Worker w, Map<String, String> f) {
        if (w.state != Worker.State.STARTING) {
            return;
        }
        w.state = Worker.State.READY;
        w.readyNanos = System.nanoTime();
        w.port = (int) parsePid(f.get("port"));
        w.directPort = (int) parsePid(f.get("direct"));
        logs.event(w, "worker " + w.slot + " (pid " + w.pid + ") ready on port " + w.port + " in "
                + String.format("%.2f s", (w.readyNanos - w.startedNanos) / 1e9) + "; metrics http://127.0.0.1:"
                + w.directPort + "/metrics");
        Slot s = slots[w.slot - 1];
        Worker old = null;
        if (w == s.next) {
            old = s.current;
            s.current = w;
            s.next = null;
            if (old != null && old.alive()) {
                retire(old, reload != null ? "reload" : "replacement");
            }
        }
        publish();
        if (reload != null) {
            reload.onReady(s, w, old);
        }
        if (stopping) {
            w.drain("stop"); // became ready after the stop began
        }
    }

    /** The ready set changed: Prometheus targets, and every worker's view of its siblings (sticky). */
    private void publish() {
        StatusReport.writeTargets(opts.runDir(), this);
        String peers = StatusReport.peersLine(this);
        workerPeers.keySet().forEach(p -> p.say(peers));
    }

    private void retire(Worker old, String reason) {
        retired.add(old);
        logs.event(old, "worker " + old.slot + " (pid " + old.pid + ") draining (" + reason + ")");
        old.drain(reason);
    }

    private void exited(Worker w) {
        w.state = Worker.State.EXITED;
        w.exitCode = w.process.exitValue();
        byPid.remove(w.pid);
        workerPeers.values().removeIf(x -> x == w);
        Slot s = slots[w.slot - 1];
        boolean asked = w.drainReason != null;
        logs.event(w, "worker " + w.slot + " (pid " + w.pid + ") exited with status " + w.exitCode + Worker.describe(w.exitCode)
                + (asked ? " after draining (" + w.drainReason + ", " + String.format("%.2f s",
                        (System.nanoTime() - w.drainNanos) / 1e9) + ")" : " unexpectedly"));
        retired.remove(w);
        if (w == s.current) {
            s.current = null;
            if (!stopping) {
                scheduleRestart(s);
            }
        } else if (w == s.next) {
            s.next = null;
            s.replaceNotBefore = System.nanoTime() + s.nextRestartDelay(opts.restartDelay(), opts.maxRestartDelay()).toNanos();
        }
        publish();
        if (reload != null) {
            reload.onExit(s, w);
        }
    }

    private void scheduleRestart(Slot s) {
        Duration delay = s.nextRestartDelay(opts.restartDelay(), opts.maxRestartDelay());
        long token = ++s.restartToken;
        s.restartPending = true;
        logs.event(null, "restarting worker " + s.index + " in " + delay.toMillis() + " ms (crash " + s.crashesInARow
                + " in a row)");
        timer.schedule(() -> post(() -> {
            if (s.restartToken == token && s.restartPending && !stopping && s.current == null) {
                s.restartPending = false;
                s.restarts++;
                spawn(s, false);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Cancels a scheduled crash restart of {@code s} (a reload starts its replacement instead). */
    void cancelRestart(Slot s) {
        s.restartPending = false;
        s.restartToken++;
    }

    private void tick() {
        long now = System.nanoTime();
        for (Worker w : workers()) {
            if (w.state == Worker.State.STARTING && now - w.startedNanos > opts.readyTimeout().toNanos()) {
                logs.event(w, "worker " + w.slot + " (pid " + w.pid + ") not ready after " + opts.readyTimeout().toMillis()
                        + " ms: killing it");
                w.kill();
            } else if (w.drainReason != null && now - w.drainNanos > opts.killTimeout().toNanos()) {
                logs.event(w, "worker " + w.slot + " (pid " + w.pid + ") still draining after "
                        + opts.killTimeout().toMillis() + " ms: killing it");
                forced |= stopping;
                w.kill();
            }
        }
        for (Slot s : slots) {
            s.noteStable(now);
            checkMemory(s, now);
        }
    }

    private void checkMemory(Slot s, long now) {
        Worker w = s.current;
        if (opts.maxMemoryBytes() <= 0 || w == null || w.state != Worker.State.READY || s.next != null
                || reload != null || stopping || now < s.replaceNotBefore) {
            return;
        }
        long rss = w.residentBytes();
        if (rss > opts.maxMemoryBytes()) {
            logs.event(w, "worker " + s.index + " (pid " + w.pid + ") uses " + (rss >> 20) + " MiB, over the limit of "
                    + (opts.maxMemoryBytes() >> 20) + " MiB: replacing it (a new worker first, then this one drains)");
            s.restarts++;
            spawn(s, true);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Commands

    private void startReload(Peer requester) {
        if (stopping || reload != null) {
            String why = stopping ? "the cluster is stopping" : "a reload is already in progress";
            logs.event(null, "reload refused: " + why);
            if (requester != null) {
                requester.say("failed " + why);
                requester.close();
            }
            return;
        }
        reload = new RollingReload(this, slots, requester, logs);
        reload.next();
    }

    void reloadDone() {
        reload = null;
    }

    private void stop(String why) {
        if (stopping) {
            return;
        }
        stopping = true;
        logs.event(null, "stopping (" + why + "): draining every worker");
        if (reload != null) {
            reload.abort("the cluster is stopping");
        }
        for (Slot s : slots) {
            cancelRestart(s);
        }
        for (Worker w : workers()) {
            w.drain("stop");
        }
    }

    private boolean allExited() {
        return workers().isEmpty();
    }

    /** @return every live worker: current, replacements and those draining */
    List<Worker> workers() {
        List<Worker> out = new ArrayList<>();
        for (Slot s : slots) {
            if (s.current != null && s.current.alive()) {
                out.add(s.current);
            }
            if (s.next != null && s.next.alive()) {
                out.add(s.next);
            }
        }
        for (Worker w : retired) {
            if (w.alive()) {
                out.add(w);
            }
        }
        return out;
    }

    Slot[] slots() {
        return slots;
    }

    ClusterOptions options() {
        return opts;
    }

    double uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    boolean isStopping() {
        return stopping;
    }

    boolean isReloading() {
        return reload != null;
    }
}
