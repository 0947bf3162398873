package io.eventide.lab.run;

import io.eventide.lab.LabOptions;
import io.eventide.lab.report.Cell;
import io.eventide.lab.report.Fmt;
import io.eventide.lab.report.Workloads;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle keep-alive connections: what holding them costs each server in memory and threads.
 *
 * <ol>
 *   <li>Start a fresh server (nothing else has touched it) and an idle driver process.</li>
 *   <li>Open one connection, let it make its request: the baseline (classes loaded, one
 *       connection set up). Read RSS, threads and the heap after a full GC.</li>
 *   <li>Grow to each level (1,000, 5,000, 15,000): each new connection makes one request and then
 *       stays silent. Let it settle for a second; read the same numbers; check that the server
 *       closed none of the connections.</li>
 *   <li>Per connection = (value at the level - baseline) / (connections - 1).</li>
 *   <li>Close the driver and the server; repeat for the next model and repetition.</li>
 * </ol>
 *
 * <p><b>Threading:</b> confined to the orchestrator's thread.
 */
public final class IdleWorkload {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    private final LabOptions o;
    private final Environment env;
    private final List<ServerModel> models;
    private final PrintStream log;
    private final List<Cell> cells = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * @param o options
     * @param env the machine
     * @param models models to run
     * @param log where to report problems
     */
    public IdleWorkload(LabOptions o, Environment env, List<ServerModel> models, PrintStream log) {
        this.o = o;
        this.env = env;
        this.models = List.copyOf(models);
        this.log = log;
    }

    /** @return repetitions: fewer than the other workloads in a quick run, which it would dominate */
    int reps() {
        return o.quick() ? 1 : o.reps();
    }

    /** @return the estimated length of {@link #run}, seconds */
    public double estimateSeconds() {
        double perRun = 6 + o.idleLevels().stream().mapToDouble(n -> 2.5 + n / 4000.0).sum();
        return perRun * models.size() * reps();
    }

    /** @param progress the bar to advance */
    public void run(Progress progress) {
        Map<String, Map<Integer, List<Map<String, Double>>>> byModel = new LinkedHashMap<>();
        double per = estimateSeconds() / Math.max(1, models.size() * reps());
        for (int rep = 1; rep <= reps(); rep++) {
            for (ServerModel m : Campaign.rotated(models, rep)) {
                progress.step("idle connections · " + m.id() + " · rep " + rep + "/" + reps(), per);
                try {
                    Map<Integer, Map<String, Double>> r = once(m);
                    r.forEach((n, v) -> byModel.computeIfAbsent(m.id(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(n, k -> new ArrayList<>()).add(v));
                } catch (IOException e) {
                    String n = "idle connections on " + m.label() + " failed once: " + e.getMessage();
                    notes.add(n);
                    log.println("\nlab: " + n);
                }
            }
        }
        byModel.forEach((id, levels) -> levels.forEach((n, reps) -> cells.add(Cell.of(Workloads.IDLE, id, "", n, reps,
                ""))));
    }

    private Map<Integer, Map<String, Double>> once(ServerModel m) throws IOException {
        Map<Integer, Map<String, Double>> out = new LinkedHashMap<>();
        try (ServerProcess s = ServerProcess.start(m, Ports.next(), env)) {
            s.awaitReady(Duration.ofSeconds(60));
            try (DriverProcess.IdleSession idle = DriverProcess.idle(env, s.port())) {
                if (idle.grow(1, STEP_TIMEOUT) != 1) {
                    throw new IOException("the first idle connection failed");
                }
                ServerProcess.pause(500);
                ServerProcess.Stats base = s.stats(Duration.ofSeconds(30));
                for (int n : o.idleLevels()) {
                    int held = idle.grow(n, STEP_TIMEOUT);
                    ServerProcess.pause(1000);
                    ServerProcess.Stats st = s.stats(Duration.ofSeconds(60));
                    int alive = idle.alive();
                    Map<String, Double> v = new LinkedHashMap<>();
                    v.put(Workloads.HELD, (double) alive);
                    v.put(Workloads.RSS, st.rssKiB() / 1024.0);
                    v.put(Workloads.HEAP, st.heapBytes() / 1048576.0);
                    v.put(Workloads.THREADS, (double) st.threads());
                    int extra = Math.max(1, held - 1);
                    v.put(Workloads.RSS_PER_CONN, (st.rssKiB() - base.rssKiB()) / (double) extra);
                    v.put(Workloads.HEAP_PER_CONN, (st.heapBytes() - base.heapBytes()) / 1024.0 / extra);
                    out.put(n, v);
                    if (held < n || alive < held) {
                        notes.add(m.label() + ": held " + Fmt.count(alive) + " of " + Fmt.count(n)
                                + " idle connections (" + Fmt.count(n - held) + " failed to open, "
                                + Fmt.count(held - alive) + " closed by the server).");
                    }
                }
            }
        }
        return out;
    }

    /** @return the cells measured */
    public List<Cell> cells() {
        return List.copyOf(cells);
    }

    /** @return notes on the run */
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
