package io.eventide.lab.run;

import io.eventide.lab.LabOptions;
import io.eventide.lab.driver.LatencySummary;
import io.eventide.lab.driver.OpenModelDriver;
import io.eventide.lab.driver.OpenModelResult;
import io.eventide.lab.report.Cell;
import io.eventide.lab.report.Fmt;
import io.eventide.lab.report.Workloads;
import io.eventide.demo.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the workloads that share servers: plaintext, JSON and delay under wrk, then the open-model
 * and CPU-mix cells under the lab's driver. Every model's server runs for the whole phase, each
 * on its own port; each repetition goes through the models in turn, so a burst of outside noise
 * hits one repetition of every model rather than every repetition of one.
 *
 * <pre>
 *  for each workload, for each load level, for each repetition, for each model:
 *      one cell run (wrk or driver process, pinned to the load CPUs)
 *  then one {@link Cell} per (model, level): median [min-max] over the repetitions
 * </pre>
 *
 * <p>A model whose server fails to start is skipped with a note; one that dies is restarted once.
 * The idle-connection workload needs fresh servers and lives in {@link IdleWorkload}.
 *
 * <p><b>Threading:</b> confined to the orchestrator's thread.
 */
public final class Campaign {
    /** {@code /cpu} size in the CPU mix: about 6 ms of one quiet 2020s server core. */
    public static final int CPU_N = 20_000;
    /** Arrival rate of the CPU mix, req/s: 1% of it computing keeps a core about 9% busy. */
    public static final int CPU_MIX_RATE = 1_500;
    /** Connections of the open-model cells. */
    public static final int OPEN_CONNECTIONS = 256;
    private static final String DELAY_PATH = "/delay?ms=50";

    private final LabOptions o;
    private final Environment env;
    private final PrintStream log;
    private final List<ServerModel> models;
    private final Map<String, ServerProcess> servers = new LinkedHashMap<>();
    private final Map<String, Integer> restarts = new LinkedHashMap<>();
    private final List<Cell> cells = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Double> loads = new ArrayList<>();
    private Progress progress;

    /**
     * @param o options
     * @param env the machine
     * @param models models to run
     * @param log where to report problems
     */
    public Campaign(LabOptions o, Environment env, List<ServerModel> models, PrintStream log) {
        this.o = o;
        this.env = env;
        this.models = List.copyOf(models);
        this.log = log;
    }

    /** @return whether the options include any of this phase's workloads (else it need not start servers) */
    public boolean hasWork() {
        boolean wrk = env.wrk() != null && (o.runs(Workloads.PLAINTEXT) || o.runs(Workloads.JSON)
                || o.runs(Workloads.DELAY));
        return wrk || o.runs(Workloads.OPEN) || o.runs(Workloads.CPU_MIX);
    }

    /** @return the estimated length of {@link #run}, seconds */
    public double estimateSeconds() {
        int m = models.size();
        double s = m * (3 + (o.quick() ? 2.0 : 4.0) * o.warmSeconds());
        if (env.wrk() != null) {
            for (String w : List.of(Workloads.PLAINTEXT, Workloads.JSON)) {
                if (o.runs(w)) {
                    s += o.throughputLevels(w).stream().mapToDouble(c -> o.cellSeconds(c) + 0.7).sum() * o.reps() * m;
                }
            }
            if (o.runs(Workloads.DELAY)) {
                s += o.delayLevels().stream().mapToDouble(c -> o.cellSeconds(c) + 1.5).sum() * o.reps() * m;
            }
        }
        if (o.runs(Workloads.OPEN)) {
            s += o.openRates().size() * o.reps() * m * (o.seconds() + drain().toSeconds() + 2.5);
        }
        if (o.runs(Workloads.CPU_MIX)) {
            s += cpuVariants().size() * o.reps() * (cpuMixSeconds() + drain().toSeconds() + 2.5);
        }
        return s;
    }

    /**
     * Runs every shared-server workload of the options.
     *
     * @param bar the progress bar to advance
     */
    public void run(Progress bar) {
        this.progress = bar;
        try {
            startAll();
            warm();
            if (env.wrk() != null) {
                for (String w : List.of(Workloads.PLAINTEXT, Workloads.JSON)) {
                    if (o.runs(w)) {
                        wrkWorkload(w, "/" + w, o.throughputLevels(w), 10);
                    }
                }
                if (o.runs(Workloads.DELAY)) {
                    wrkWorkload(Workloads.DELAY, DELAY_PATH, o.delayLevels(), 30);
                }
            }
            if (o.runs(Workloads.OPEN)) {
                openWorkload();
            }
            if (o.runs(Workloads.CPU_MIX)) {
                cpuMix();
            }
        } finally {
            servers.values().forEach(ServerProcess::close);
            servers.clear();
        }
    }

    private void startAll() {
        for (ServerModel m : models) {
            progress.step("starting " + m.label(), 5);
            server(m);
        }
    }

    /** JIT warm-up: every endpoint of every model, before anything is measured. */
    private void warm() {
        if (env.wrk() == null || o.warmSeconds() == 0) {
            return;
        }
        for (ServerModel m : models) {
            for (String path : o.quick() ? List.of("/plaintext", "/json")
                    : List.of("/plaintext", "/json", "/delay?ms=1", "/cpu?n=100")) {
                progress.step("warming " + m.label() + " " + path, o.warmSeconds());
                ServerProcess s = server(m);
                if (s != null) {
                    try {
                        Wrk.run(env, s.port(), path, 64, o.warmSeconds(), 10);
                    } catch (IOException e) {
                        log.println("\nlab: warm-up of " + m.id() + " " + path + " failed: " + e.getMessage());
                    }
                }
            }
        }
    }

    private void wrkWorkload(String workload, String path, List<Integer> levels, int timeoutSeconds) {
        for (int c : levels) {
            Map<String, List<Map<String, Double>>> reps = new LinkedHashMap<>();
            int seconds = o.cellSeconds(c);
            for (int rep = 1; rep <= o.reps(); rep++) {
                for (ServerModel m : rotated(models, rep)) {
                    progress.step(workload + " " + Fmt.count(c) + " conn · " + m.id() + " · rep " + rep + "/" + o.reps(),
                            seconds + (workload.equals(Workloads.DELAY) ? 1.5 : 0.7));
                    ServerProcess s = server(m);
                    if (s == null) {
                        continue;
                    }
                    loads.add(ProcStatus.loadAverage());
                    try {
                        Wrk.Result r = Wrk.run(env, s.port(), path, c, seconds, timeoutSeconds);
                        Map<String, Double> v = new LinkedHashMap<>();
                        v.put(Workloads.RPS, r.rps());
                        v.put(Workloads.ERRORS, (double) r.errors());
                        if (r.requests() == 0) {
                            // No answer within the cell: there is no latency to report, only the failure.
                            notes.add(workload + " at " + Fmt.count(c) + " connections on " + m.label()
                                    + ": no response completed within " + seconds + " s (rep " + rep + ").");
                            reps.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(v);
                            continue;
                        }
                        v.put(Workloads.MEAN, r.meanMs());
                        v.put(Workloads.P50, r.p50Ms());
                        v.put(Workloads.P90, r.p90Ms());
                        v.put(Workloads.P99, r.p99Ms());
                        v.put(Workloads.MAX, r.maxMs());
                        if (workload.equals(Workloads.DELAY)) {
                            v.put(Workloads.LITTLE_RPS, c / 0.050);
                        }
                        reps.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(v);
                    } catch (IOException e) {
                        failed(workload, m, c, e);
                    }
                }
            }
            reps.forEach((id, r) -> cells.add(Cell.of(workload, id, "", c, r, "")));
        }
    }

    private void openWorkload() {
        for (int rate : o.openRates()) {
            Map<String, List<Map<String, Double>>> reps = new LinkedHashMap<>();
            for (int rep = 1; rep <= o.reps(); rep++) {
                for (ServerModel m : rotated(models, rep)) {
                    progress.step("open model " + Fmt.count(rate) + " req/s · " + m.id() + " · rep " + rep + "/"
                            + o.reps(), o.seconds() + drain().toSeconds() + 2.5);
                    OpenModelResult r = open(m, rate, o.seconds(),
                            List.of(new OpenModelDriver.Target("json", "/json", 1)));
                    if (r != null) {
                        Map<String, Double> v = latency(r.latency(), "");
                        v.put(Workloads.ACHIEVED, r.achievedRps());
                        v.put(Workloads.ERRORS, (double) (r.errors() + r.lost()));
                        v.put(Workloads.INCOMPLETE, (double) r.incomplete());
                        v.put(Workloads.OUTSTANDING, r.meanOutstanding());
                        reps.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(v);
                    }
                }
            }
            reps.forEach((id, r) -> cells.add(Cell.of(Workloads.OPEN, id, "", rate, r, "")));
        }
    }

    private void cpuMix() {
        String note = "/cpu?n=" + Fmt.count(CPU_N) + " takes about " + Fmt.num(cpuCostMillis())
                + " ms of one core (measured in the lab process); 1% of requests are /cpu, 99% /plaintext, at "
                + Fmt.count(CPU_MIX_RATE) + " req/s over " + OPEN_CONNECTIONS + " connections for " + cpuMixSeconds()
                + " s per repetition.";
        if (models.stream().anyMatch(ServerModel::isNode)) {
            notes.add("Node.js sits out the CPU mix: its /cpu computes with BigInt and costs many times more than "
                    + "the Java servers' for the same n.");
        }
        Map<String, List<Map<String, Double>>> reps = new LinkedHashMap<>();
        Map<String, ServerModel> owner = new LinkedHashMap<>();
        for (int rep = 1; rep <= o.reps(); rep++) {
            for (Map.Entry<String, String> v : rotated(List.copyOf(cpuVariants().entrySet()), rep)) {
                String series = v.getKey();
                ServerModel m = model(series.substring(0, series.indexOf('/')));
                owner.put(series, m);
                progress.step("cpu mix · " + series + " · rep " + rep + "/" + o.reps(),
                        cpuMixSeconds() + drain().toSeconds() + 2.5);
                OpenModelResult r = open(m, CPU_MIX_RATE, cpuMixSeconds(), List.of(
                        new OpenModelDriver.Target("cheap", "/plaintext", 99),
                        new OpenModelDriver.Target("cpu", v.getValue(), 1)));
                if (r != null) {
                    Map<String, Double> metrics = latency(r.byLabel().getOrDefault("cheap", LatencySummary.EMPTY),
                            "cheap");
                    LatencySummary cpu = r.byLabel().getOrDefault("cpu", LatencySummary.EMPTY);
                    metrics.put(Workloads.CPU_P50, cpu.p50Ms());
                    metrics.put(Workloads.CPU_P99, cpu.p99Ms());
                    metrics.put(Workloads.ACHIEVED, r.achievedRps());
                    metrics.put(Workloads.ERRORS, (double) (r.errors() + r.lost()));
                    metrics.put(Workloads.INCOMPLETE, (double) r.incomplete());
                    reps.computeIfAbsent(series, k -> new ArrayList<>()).add(metrics);
                }
            }
        }
        reps.forEach((series, r) -> cells.add(Cell.of(Workloads.CPU_MIX, owner.get(series).id(),
                series.substring(series.indexOf('/') + 1), CPU_MIX_RATE, r, note)));
    }

    /** @return series ({@code model/variant}) to the /cpu path they use */
    Map<String, String> cpuVariants() {
        Map<String, String> v = new LinkedHashMap<>();
        for (ServerModel m : models) {
            if (m.isNode()) {
                continue;
            }
            String path = "/cpu?n=" + CPU_N;
            if (m.offload()) {
                v.put(m.id() + "/loop", path);
                v.put(m.id() + "/offload", path + "&offload=1");
            } else {
                v.put(m.id() + "/thread", path);
            }
        }
        return v;
    }

    /** Repetition r starts at a different element, so no model always runs first after a pause. */
    static <T> List<T> rotated(List<T> list, int rep) {
        List<T> out = new ArrayList<>(list);
        java.util.Collections.rotate(out, -((rep - 1) % Math.max(1, list.size())));
        return out;
    }

    /** @return the CPU mix's cell length: twice a throughput cell in a full run, as its p99 rests on 1% */
    private int cpuMixSeconds() {
        return o.quick() ? o.seconds() : 2 * o.seconds();
    }

    private OpenModelResult open(ServerModel m, int rate, int seconds, List<OpenModelDriver.Target> mix) {
        ServerProcess s = server(m);
        if (s == null) {
            return null;
        }
        loads.add(ProcStatus.loadAverage());
        OpenModelDriver.Config c = new OpenModelDriver.Config("127.0.0.1", s.port(), OPEN_CONNECTIONS, rate,
                Duration.ofMillis(o.quick() ? 500 : 1000), Duration.ofSeconds(seconds), drain(), mix, 42);
        try {
            return DriverProcess.runOpen(env, c);
        } catch (IOException e) {
            failed("open model", m, rate, e);
            return null;
        }
    }

    private Duration drain() {
        return Duration.ofSeconds(o.quick() ? 1 : 2);
    }

    private static Map<String, Double> latency(LatencySummary l, String prefix) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(key(prefix, Workloads.P50), l.p50Ms());
        v.put(key(prefix, Workloads.P99), l.p99Ms());
        v.put(key(prefix, Workloads.P999), l.p999Ms());
        if (prefix.isEmpty()) {
            v.put(Workloads.P90, l.p90Ms());
            v.put(Workloads.MAX, l.maxMs());
            v.put(Workloads.MEAN, l.meanMs());
        }
        return v;
    }

    private static String key(String prefix, String metric) {
        return prefix.isEmpty() ? metric : prefix + Character.toUpperCase(metric.charAt(0)) + metric.substring(1);
    }

    /** @return the model's running server, starting or restarting it once, or null when it cannot run */
    private ServerProcess server(ServerModel m) {
        ServerProcess s = servers.get(m.id());
        if (s != null && s.isAlive()) {
            return s;
        }
        int starts = restarts.merge(m.id(), 1, Integer::sum);
        if (starts > 2) {
            return null;
        }
        if (s != null) {
            notes.add(m.label() + " died during the run and was restarted (see its log in " + env.scratch() + ").");
            s.close();
        }
        try {
            s = ServerProcess.start(m, Ports.next(), env);
            s.awaitReady(Duration.ofSeconds(60));
            servers.put(m.id(), s);
            return s;
        } catch (IOException e) {
            notes.add(m.label() + " could not be started and was skipped: " + e.getMessage());
            log.println("\nlab: " + m.id() + ": " + e.getMessage());
            if (s != null) {
                s.close();
            }
            restarts.put(m.id(), 3);
            return null;
        }
    }

    private ServerModel model(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    private void failed(String workload, ServerModel m, long x, IOException e) {
        String n = workload + " at " + Fmt.count(x) + " on " + m.label() + " failed once: " + e.getMessage();
        notes.add(n);
        log.println("\nlab: " + n);
    }

    /** @return how long {@code /cpu?n=CPU_N} takes here, ms (median of 9 after warm-up) */
    static double cpuCostMillis() {
        double[] t = new double[9];
        long sink = 0;
        for (int i = 0; i < 20; i++) {
            sink += Workload.cpu(CPU_N / 10);
        }
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            sink += Workload.cpu(CPU_N);
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        java.util.Arrays.sort(t);
        return sink == 42 ? t[4] + 1e-9 : t[4];
    }

    /** @return the cells measured */
    public List<Cell> cells() {
        return List.copyOf(cells);
    }

    /** @return notes on the run */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** @return 1-minute load averages sampled before each cell */
    public List<Double> loads() {
        return List.copyOf(loads);
    }
}
