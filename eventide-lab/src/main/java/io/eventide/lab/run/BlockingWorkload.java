package io.eventide.lab.run;

import io.eventide.lab.LabOptions;
import io.eventide.lab.driver.LatencySummary;
import io.eventide.lab.driver.OpenModelDriver;
import io.eventide.lab.driver.OpenModelResult;
import io.eventide.lab.report.Cell;
import io.eventide.lab.report.Fmt;
import io.eventide.lab.report.Workloads;
import io.eventide.lab.servers.BlockingRoutes;
import io.eventide.lab.servers.EventideServer;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Handlers that must block (issue 14): the same blocking call served three ways by Eventide, at a
 * fixed arrival rate, with the server's loop lag read around each cell.
 *
 * <pre>
 *  lab: CREATE TABLE eventide_lab_blocking_&lt;pid&gt;_&lt;time&gt; (1,000 rows)       (JDBC, the lab's own)
 *  for each Eventide model: one server (LAB_PG_URL, LAB_PG_TABLE set), then
 *    for each repetition, route (sleep 20 ms | JDBC lookup + pg_sleep 10 ms), variant:
 *        wait until the server has no connection open (the last cell's backlog is gone); reset lag
 *        open-model driver: GET /blocking/ROUTE/VARIANT at {@link LabOptions#blockingRate()} req/s,
 *            {@value #CONNECTIONS} connections                      -&gt; answered/s, p50/p99/max
 *        read loop lag (the worst loop's p99 and max over the cell) -&gt; lag p99/max
 *  DROP TABLE                                                      (always, even after a failure)
 * </pre>
 *
 * <p>Variants: {@code loop} blocks the event loop (the anti-pattern: it collapses to one request
 * per sleep per loop, and every timer of the loop fires late); {@code offload} runs the call on
 * the loop group's worker pool; {@code virtual} runs it in a {@code blocking(...)} route on a
 * virtual thread. Without a reachable PostgreSQL the JDBC cells are skipped with a note.
 *
 * <p><b>Threading:</b> confined to the orchestrator's thread.
 */
public final class BlockingWorkload {
    /** The sleep route's blocking call, ms. */
    public static final int SLEEP_MS = 20;
    /** Connections of the open-model driver: bounds the backlog a collapsed variant leaves behind. */
    public static final int CONNECTIONS = 64;
    /** The variants, in report order. */
    public static final List<String> VARIANTS = List.of("loop", "offload", "virtual");
    /** Prefix of the tables the workload makes (and drops). */
    static final String TABLE_PREFIX = "eventide_lab_blocking_";
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration CONTROL = Duration.ofSeconds(30);

    private final LabOptions o;
    private final Environment env;
    private final List<ServerModel> models;
    private final PrintStream log;
    private final List<Cell> cells = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Double> loads = new ArrayList<>();

    /**
     * @param o options
     * @param env the machine
     * @param models models of the run; only Eventide's take part
     * @param log where to report problems
     */
    public BlockingWorkload(LabOptions o, Environment env, List<ServerModel> models, PrintStream log) {
        this.o = o;
        this.env = env;
        this.models = eligible(models);
        this.log = log;
    }

    /** @param models models of the run @return those that serve the blocking routes: Eventide's */
    public static List<ServerModel> eligible(List<ServerModel> models) {
        return models.stream().filter(m -> EventideServer.class.getName().equals(m.mainClass())).toList();
    }

    /** @return the estimated length of {@link #run}, seconds */
    public double estimateSeconds() {
        double cell = warmup().toMillis() / 1000.0 + o.seconds() + drain().toSeconds() + 2.5;
        return models.size() * (6 + o.reps() * 2 * VARIANTS.size() * cell);
    }

    /** @param progress the bar to advance */
    public void run(Progress progress) {
        if (models.isEmpty()) {
            notes.add("The blocking-route workload runs on Eventide's models only; none was selected.");
            return;
        }
        String table = null;
        try {
            table = createTable(o.pgUrl());
        } catch (SQLException e) {
            notes.add("PostgreSQL at " + o.pgUrl() + " could not be used (" + e.getMessage()
                    + "): the blocking workload's JDBC cells were skipped.");
            log.println("\nlab: blocking workload without JDBC: " + e.getMessage());
        }
        Map<String, Map<String, List<Map<String, Double>>>> byWorkload = new LinkedHashMap<>();
        List<String> routes = table != null ? List.of(Workloads.BLOCKING_SLEEP, Workloads.BLOCKING_JDBC)
                : List.of(Workloads.BLOCKING_SLEEP);
        double per = (estimateSeconds() / models.size() - 6) / Math.max(1, o.reps() * 2 * VARIANTS.size());
        try {
            for (ServerModel m : models) {
                progress.step("blocking routes · starting " + m.label(), 6);
                Map<String, String> serverEnv = new HashMap<>(m.env());
                serverEnv.put(BlockingRoutes.ENABLE_ENV, "1");
                if (table != null) {
                    serverEnv.put(BlockingRoutes.PG_URL_ENV, o.pgUrl());
                    serverEnv.put(BlockingRoutes.PG_TABLE_ENV, table);
                }
                ServerModel withDb = new ServerModel(m.id(), m.label(), m.style(), m.description(), m.mainClass(),
                        serverEnv, m.offload());
                try (ServerProcess s = ServerProcess.start(withDb, Ports.next(), env)) {
                    s.awaitReady(Duration.ofSeconds(60));
                    for (int rep = 1; rep <= o.reps(); rep++) {
                        for (String w : routes) {
                            for (String variant : Campaign.rotated(VARIANTS, rep)) {
                                progress.step(w + " · " + m.id() + "/" + variant + " · rep " + rep + "/" + o.reps(), per);
                                Map<String, Double> v = cell(s, w, variant);
                                if (v != null) {
                                    byWorkload.computeIfAbsent(w, k -> new LinkedHashMap<>())
                                            .computeIfAbsent(m.id() + "/" + variant, k -> new ArrayList<>()).add(v);
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    String n = "blocking routes on " + m.label() + " failed: " + e.getMessage();
                    notes.add(n);
                    log.println("\nlab: " + n);
                }
            }
        } finally {
            if (table != null) {
                dropTable(table);
            }
        }
        byWorkload.forEach((w, bySeries) -> bySeries.forEach((series, reps) -> {
            int slash = series.indexOf('/');
            cells.add(Cell.of(w, series.substring(0, slash), series.substring(slash + 1), o.blockingRate(), reps,
                    note(w)));
        }));
    }

    /** @return the cell's metrics, or null when it failed (noted) */
    private Map<String, Double> cell(ServerProcess s, String workload, String variant) throws IOException {
        // The last cell's connections closed with requests still queued on them; a loop that
        // blocks works through them first. Measure from an idle server.
        s.awaitNoConnections(SETTLE);
        if (!s.resetLag(CONTROL)) {
            throw new IOException(s.model().id() + " does not report its loop lag");
        }
        OpenModelDriver.Config c = new OpenModelDriver.Config("127.0.0.1", s.port(), CONNECTIONS, o.blockingRate(),
                warmup(), Duration.ofSeconds(o.seconds()), drain(), List.of(new OpenModelDriver.Target(variant,
                        path(workload, variant), 1)), 42);
        loads.add(ProcStatus.loadAverage());
        OpenModelResult r;
        try {
            r = DriverProcess.runOpen(env, c);
        } catch (IOException e) {
            String n = workload + " " + variant + " on " + s.model().label() + " failed once: " + e.getMessage();
            notes.add(n);
            log.println("\nlab: " + n);
            return null;
        }
        ServerProcess.Lag lag = s.lag(CONTROL);
        LatencySummary l = r.latency();
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(Workloads.ACHIEVED, r.achievedRps());
        v.put(Workloads.P50, l.p50Ms());
        v.put(Workloads.P99, l.p99Ms());
        v.put(Workloads.MAX, l.maxMs());
        v.put(Workloads.ERRORS, (double) (r.errors() + r.lost()));
        v.put(Workloads.INCOMPLETE, (double) r.incomplete());
        v.put(Workloads.LAG_P99, lag.p99Ms());
        v.put(Workloads.LAG_MAX, lag.maxMs());
        return v;
    }

    /**
     * @param workload {@link Workloads#BLOCKING_SLEEP} or {@link Workloads#BLOCKING_JDBC}
     * @param variant loop, offload or virtual
     * @return the request target
     */
    public static String path(String workload, String variant) {
        return workload.equals(Workloads.BLOCKING_SLEEP) ? "/blocking/sleep/" + variant + "?ms=" + SLEEP_MS
                : "/blocking/jdbc/" + variant + "?id=42";
    }

    private String note(String workload) {
        String call = workload.equals(Workloads.BLOCKING_SLEEP) ? "Thread.sleep(" + SLEEP_MS + ") per request"
                : "a one-row SELECT through pgjdbc that spends " + BlockingRoutes.JDBC_SLEEP_MS
                        + " ms in PostgreSQL (pg_sleep), from a pool of " + BlockingRoutes.POOL_SIZE + " connections";
        return call + ", at " + Fmt.count(o.blockingRate()) + " req/s over " + CONNECTIONS + " connections for "
                + o.seconds() + " s per repetition. On the event loop: the handler blocks its loop; offloaded: "
                + "loop.offload(...) on the worker pool (max(4, cores) threads); virtual thread: blocking(...). "
                + "Loop lag: how late the loops' 20 ms probe timer fired, worst loop, over the whole cell "
                + "(warm-up, window and drain).";
    }

    private Duration warmup() {
        return Duration.ofMillis(o.quick() ? 500 : 1000);
    }

    private Duration drain() {
        return Duration.ofSeconds(o.quick() ? 1 : 2);
    }

    /**
     * @param url JDBC URL
     * @return the name of a fresh table of {@link BlockingRoutes#ROWS} rows, made for this run:
     *     {@code eventide_lab_blocking_<pid>_<time>}
     * @throws SQLException when it cannot be made
     */
    static String createTable(String url) throws SQLException {
        String table = TABLE_PREFIX + ProcessHandle.current().pid() + "_"
                + Long.toString(System.nanoTime() & Long.MAX_VALUE, 36);
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, message text NOT NULL)");
            st.execute("INSERT INTO " + table + " SELECT i, 'row ' || i FROM generate_series(1, "
                    + BlockingRoutes.ROWS + ") i");
        }
        return table;
    }

    private void dropTable(String table) {
        try {
            dropTable(o.pgUrl(), table);
        } catch (SQLException e) {
            String n = "the blocking workload's table " + table + " could not be dropped: " + e.getMessage();
            notes.add(n);
            log.println("\nlab: " + n);
        }
    }

    /**
     * @param url JDBC URL
     * @param table a table {@link #createTable} made
     * @throws SQLException when it cannot be dropped
     */
    static void dropTable(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /** @return 1-minute load averages sampled before each cell */
    public List<Double> loads() {
        return List.copyOf(loads);
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
