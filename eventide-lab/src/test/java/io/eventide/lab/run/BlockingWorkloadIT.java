package io.eventide.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.testing.ChildJvm;
import io.eventide.lab.Lab;
import io.eventide.lab.LabOptions;
import io.eventide.lab.report.Cell;
import io.eventide.lab.report.ReportTables;
import io.eventide.lab.report.Results;
import io.eventide.lab.report.TerminalTable;
import io.eventide.lab.report.Workloads;
import io.eventide.lab.servers.BlockingRoutes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocking-routes workload (issue 14) as {@code ./eventide bench --quick --workloads blocking
 * --models eventide-1} runs it, with one-second cells: the Eventide server as the lab starts it,
 * the machine's PostgreSQL (127.0.0.1:5432, trust) behind the JDBC routes, the lab's open-model
 * driver as a child process. It asserts structure and physics, not speed: every variant of both
 * routes produced numbers without a failed response; the on-loop variants' loops ran a timer at
 * least one blocking call late; the report shows both tables; the lab's table is dropped.
 */
class BlockingWorkloadIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @BeforeAll
    static void postgresIsThere() {
        try (Connection c = DriverManager.getConnection(LabOptions.DEFAULT_PG_URL)) {
            assertThat(c.isValid(5)).isTrue();
        } catch (SQLException e) {
            throw new AssertionError("this test needs PostgreSQL at " + LabOptions.DEFAULT_PG_URL
                    + " (trust authentication for user postgres): " + e.getMessage(), e);
        }
    }

    private Environment env() throws Exception {
        return new Environment(Path.of(ChildJvm.java()), ChildJvm.classPath(),
                Files.createDirectories(dir.resolve("scratch")), false, "0", "0", null, null, List.of());
    }

    @Test
    void eachRouteAnswersFromTheLoopAWorkerOrAVirtualThread() throws Exception {
        String table = BlockingWorkload.createTable(LabOptions.DEFAULT_PG_URL);
        try {
            ServerModel m = ServerModel.catalogue(1, false).get(0);
            Map<String, String> e = new HashMap<>(m.env());
            e.put(BlockingRoutes.ENABLE_ENV, "1");
            String app = "lab-it-" + table;
            e.put(BlockingRoutes.PG_URL_ENV, LabOptions.DEFAULT_PG_URL + "&ApplicationName=" + app);
            e.put(BlockingRoutes.PG_TABLE_ENV, table);
            ServerModel withDb = new ServerModel(m.id(), m.label(), m.style(), m.description(), m.mainClass(), e,
                    m.offload());
            try (ServerProcess s = ServerProcess.start(withDb, Ports.next(), env())) {
                s.awaitReady(Duration.ofSeconds(60));
                String base = "http://127.0.0.1:" + s.port();
                assertThat(get(base + "/blocking/sleep/loop?ms=5")).isEqualTo("200 slept 5 ms on a loop\n");
                assertThat(get(base + "/blocking/sleep/offload?ms=5")).isEqualTo("200 slept 5 ms on a worker\n");
                assertThat(get(base + "/blocking/sleep/virtual?ms=5")).isEqualTo("200 slept 5 ms on a virtual thread\n");
                for (String v : BlockingWorkload.VARIANTS) {
                    assertThat(get(base + "/blocking/jdbc/" + v + "?id=42")).isEqualTo("200 row 42\n");
                }
                // Every pooled connection's backend terminated, as a database restart would: each
                // is replaced on its next use and the query runs again on the new one.
                assertThat(exec("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '"
                        + app + "'")).isEqualTo(BlockingRoutes.POOL_SIZE);
                for (int i = 0; i < BlockingRoutes.POOL_SIZE; i++) {
                    String v = BlockingWorkload.VARIANTS.get(i % 3);
                    assertThat(get(base + "/blocking/jdbc/" + v + "?id=" + (i + 1))).as(v + " after the terminations")
                            .isEqualTo("200 row " + (i + 1) + "\n");
                }
                assertThat(s.resetLag(Duration.ofSeconds(30))).isTrue();
                ServerProcess.Lag lag = s.lag(Duration.ofSeconds(30));
                assertThat(lag).isNotNull();
                assertThat(lag.maxMs()).isGreaterThanOrEqualTo(lag.p99Ms()).isGreaterThanOrEqualTo(0);
            }
        } finally {
            BlockingWorkload.dropTable(LabOptions.DEFAULT_PG_URL, table);
        }
        assertThat(labTablesOfThisProcess()).as("tables left behind").isZero();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // about 30 s; six driver JVMs on a loaded machine take longer
    void theQuickRunMeasuresEveryVariantOfBothRoutesAndReportsLoopLag() throws Exception {
        LabOptions o = LabOptions.parse("--quick", "--workloads", Workloads.BLOCKING, "--models", "eventide-1",
                "--seconds", "1", "--no-pin", "--out", dir.resolve("out").toString());
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        List<ServerModel> models = ServerModel.catalogue(1, false).stream().filter(m -> o.includes(m.id())).toList();
        BlockingWorkload w = new BlockingWorkload(o, env(), models, log);
        try (Progress p = new Progress(log, w.estimateSeconds(), false)) {
            w.run(p);
            p.finish();
        }
        assertThat(w.notes()).as("problems noted by the run; log:%n%s", logBytes).isEmpty();
        List<Cell> cells = w.cells();
        assertThat(cells).hasSize(6);
        for (String workload : List.of(Workloads.BLOCKING_SLEEP, Workloads.BLOCKING_JDBC)) {
            for (String variant : BlockingWorkload.VARIANTS) {
                Cell c = cells.stream().filter(x -> x.workload().equals(workload) && x.variant().equals(variant))
                        .findFirst().orElseThrow(() -> new AssertionError("no cell " + workload + " " + variant));
                String what = workload + " " + variant;
                assertThat(c.model()).isEqualTo("eventide-1");
                assertThat(c.x()).isEqualTo(o.blockingRate());
                assertThat(c.stat(Workloads.ACHIEVED).median()).as(what + " answered/s").isPositive();
                assertThat(c.stat(Workloads.P99).median()).as(what + " p99").isPositive();
                assertThat(c.stat(Workloads.ERRORS).median()).as(what + " non-2xx or broken").isZero();
                assertThat(c.stat(Workloads.LAG_P99)).as(what + " lag p99").isNotNull();
                assertThat(c.stat(Workloads.LAG_MAX).median()).as(what + " lag max")
                        .isGreaterThanOrEqualTo(c.stat(Workloads.LAG_P99).median());
            }
        }
        // Physics, not speed: a loop that runs a blocking call holds every timer due meanwhile, so
        // with requests queued behind each other its 20 ms probe fires at least one call late.
        assertThat(lagMax(cells, Workloads.BLOCKING_SLEEP, "loop")).as("loop lag max, sleep on the loop, ms")
                .isGreaterThanOrEqualTo(BlockingWorkload.SLEEP_MS);
        assertThat(lagMax(cells, Workloads.BLOCKING_JDBC, "loop")).as("loop lag max, JDBC on the loop, ms")
                .isGreaterThanOrEqualTo(BlockingRoutes.JDBC_SLEEP_MS);
        assertThat(labTablesOfThisProcess()).as("tables left behind").isZero();

        Results results = new Results(Map.of("run", "test"), w.notes(), models.stream().map(ServerModel::describe)
                .toList(), cells);
        Lab.write(results, o.out());
        String terminal = TerminalTable.render(ReportTables.build(results));
        String md = Files.readString(o.out().resolve("report.md"));
        String html = Files.readString(o.out().resolve("report.html"));
        for (String report : List.of(terminal, md, html)) {
            assertThat(report).contains("Blocking handler, Thread.sleep(20 ms)", "Blocking handler, a JDBC query",
                    "on the event loop", "offloaded to workers", "blocking(...) on a virtual thread", "loop lag p99 ms");
        }
        assertThat(html).contains("id='blocking-sleep'", "id='blocking-jdbc'", "request p99 and loop lag p99");
    }

    private static double lagMax(List<Cell> cells, String workload, String variant) {
        return cells.stream().filter(c -> c.workload().equals(workload) && c.variant().equals(variant)).findFirst()
                .orElseThrow().stat(Workloads.LAG_MAX).median();
    }

    private static int labTablesOfThisProcess() throws SQLException {
        return exec("SELECT count(*) FROM pg_tables WHERE tablename LIKE '" + BlockingWorkload.TABLE_PREFIX
                + ProcessHandle.current().pid() + "\\_%'");
    }

    /** @return the first column of the first row, as an int */
    private static int exec(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(LabOptions.DEFAULT_PG_URL);
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
