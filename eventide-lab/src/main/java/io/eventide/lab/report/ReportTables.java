package io.eventide.lab.report;

import static io.eventide.lab.report.Workloads.ACHIEVED;
import static io.eventide.lab.report.Workloads.CHEAP_P50;
import static io.eventide.lab.report.Workloads.CHEAP_P99;
import static io.eventide.lab.report.Workloads.CHEAP_P999;
import static io.eventide.lab.report.Workloads.CPU_P50;
import static io.eventide.lab.report.Workloads.CPU_P99;
import static io.eventide.lab.report.Workloads.ERRORS;
import static io.eventide.lab.report.Workloads.HEAP;
import static io.eventide.lab.report.Workloads.HEAP_PER_CONN;
import static io.eventide.lab.report.Workloads.HELD;
import static io.eventide.lab.report.Workloads.INCOMPLETE;
import static io.eventide.lab.report.Workloads.LAG_MAX;
import static io.eventide.lab.report.Workloads.LAG_P99;
import static io.eventide.lab.report.Workloads.LITTLE_RPS;
import static io.eventide.lab.report.Workloads.MAX;
import static io.eventide.lab.report.Workloads.P50;
import static io.eventide.lab.report.Workloads.P99;
import static io.eventide.lab.report.Workloads.RPS;
import static io.eventide.lab.report.Workloads.RSS;
import static io.eventide.lab.report.Workloads.RSS_PER_CONN;
import static io.eventide.lab.report.Workloads.THREADS;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The tables every report shows, built once from {@link Results}: per workload, one row per
 * serving model, one column per load level, each cell {@code median [min–max]} over the
 * repetitions. Workloads that were not run produce no table.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class ReportTables {
    private ReportTables() {
    }

    /** @param r results @return the tables, in report order */
    public static List<Table> build(Results r) {
        List<Table> out = new ArrayList<>();
        for (String w : List.of(Workloads.PLAINTEXT, Workloads.JSON)) {
            String path = "GET /" + w;
            addIfAny(out, levelTable(r, w, w + "-rps", path + ": throughput, responses/s (wrk, closed loop)", RPS,
                    true, "conn"));
            addIfAny(out, levelTable(r, w, w + "-p99", path + ": p99 latency, ms (wrk, closed loop)", P99, false,
                    "conn"));
        }
        Table delay = levelTable(r, Workloads.DELAY, "delay-rps",
                "GET /delay?ms=50: throughput, responses/s (wrk, closed loop)", RPS, true, "conn");
        if (!delay.rows().isEmpty()) {
            List<List<String>> rows = new ArrayList<>(delay.rows());
            List<String> little = new ArrayList<>(List.of("Little's law: connections / 50 ms"));
            for (long x : r.levels(Workloads.DELAY)) {
                little.add(Fmt.num(x / 0.050));
            }
            rows.add(little);
            out.add(new Table(delay.id(), delay.title(), delay.header(), rows,
                    "A thread-per-request server cannot exceed threads / 50 ms (200 / 0.05 s = 4,000/s); an event "
                            + "loop follows connections / 50 ms until its core is saturated."));
        }
        addIfAny(out, levelTable(r, Workloads.DELAY, "delay-p99", "GET /delay?ms=50: p99 latency, ms (ideal: 50)",
                P99, false, "conn"));
        addIfAny(out, cpuMix(r));
        addIfAny(out, blocking(r, Workloads.BLOCKING_SLEEP, "blocking-sleep",
                "Blocking handler, Thread.sleep(20 ms): on the loop, offloaded, on a virtual thread"));
        addIfAny(out, blocking(r, Workloads.BLOCKING_JDBC, "blocking-jdbc",
                "Blocking handler, a JDBC query (pgjdbc): on the loop, offloaded, on a virtual thread"));
        addIfAny(out, levelTable(r, Workloads.OPEN, "open-p99",
                "GET /json at a fixed arrival rate: p99 latency from the intended send time, ms (open model)", P99,
                false, "req/s"));
        addIfAny(out, levelTable(r, Workloads.OPEN, "open-achieved",
                "GET /json at a fixed arrival rate: responses/s achieved", ACHIEVED, false, "req/s"));
        addIfAny(out, levelTable(r, Workloads.IDLE, "idle-rss", "Idle keep-alive connections: server RSS, MiB", RSS,
                false, "conn"));
        addIfAny(out, levelTable(r, Workloads.IDLE, "idle-heap",
                "Idle keep-alive connections: server heap after a full GC, MiB", HEAP, false, "conn"));
        addIfAny(out, levelTable(r, Workloads.IDLE, "idle-threads", "Idle keep-alive connections: server OS threads",
                THREADS, false, "conn"));
        addIfAny(out, idlePerConnection(r));
        return out;
    }

    private static void addIfAny(List<Table> out, Table t) {
        if (t != null && !t.rows().isEmpty()) {
            out.add(t);
        }
    }

    /** One row per series, one column per load level, {@code metric} in each cell. */
    static Table levelTable(Results r, String workload, String id, String title, String metric, boolean showErrors,
            String unit) {
        List<Long> levels = r.levels(workload);
        List<String> header = new ArrayList<>(List.of("model"));
        levels.forEach(x -> header.add(Fmt.count(x) + " " + unit));
        List<List<String>> rows = new ArrayList<>();
        boolean anyErrors = false;
        for (String series : r.series(workload)) {
            List<String> row = new ArrayList<>(List.of(seriesLabel(r, series)));
            for (long x : levels) {
                Cell c = r.cell(workload, series, x);
                String text = c == null ? "–" : Fmt.stat(c.stat(metric));
                Stat errors = c == null ? null : c.stat(ERRORS);
                if (showErrors && errors != null && errors.median() > 0) {
                    text += " (" + Fmt.count(Math.round(errors.median())) + " err)";
                    anyErrors = true;
                }
                row.add(text);
            }
            rows.add(row);
        }
        String foot = anyErrors ? "(n err): median count of failed requests (connect, read, timeout, non-2xx)." : "";
        return new Table(id, title, header, rows, foot);
    }

    private static Table cpuMix(Results r) {
        List<Cell> cells = r.cells(Workloads.CPU_MIX);
        if (cells.isEmpty()) {
            return null;
        }
        List<String> header = List.of("model · where /cpu runs", "cheap p50 ms", "cheap p99 ms", "cheap p99.9 ms",
                "/cpu p50 ms", "/cpu p99 ms", "answered/s", "failed");
        List<List<String>> rows = new ArrayList<>();
        for (Cell c : cells) {
            Function<String, String> f = m -> Fmt.stat(c.stat(m));
            rows.add(List.of(seriesLabel(r, c.series()), f.apply(CHEAP_P50), f.apply(CHEAP_P99), f.apply(CHEAP_P999),
                    f.apply(CPU_P50), f.apply(CPU_P99), f.apply(ACHIEVED), Fmt.count(Math.round(failed(c)))));
        }
        long rate = cells.get(0).x();
        return new Table("cpu-mix", "CPU mix: 99% GET /plaintext + 1% GET /cpu at " + Fmt.count(rate)
                + " req/s (open model), latency from the intended send time",
                header, rows, cells.get(0).note());
    }

    /** @return the median count of requests that failed: errors plus those left unanswered */
    private static double failed(Cell c) {
        Stat err = c.stat(ERRORS);
        Stat inc = c.stat(INCOMPLETE);
        return (err == null ? 0 : err.median()) + (inc == null ? 0 : inc.median());
    }

    /** One row per model and variant: throughput, latency and the server's loop lag. */
    private static Table blocking(Results r, String workload, String id, String title) {
        List<Cell> cells = r.cells(workload);
        if (cells.isEmpty()) {
            return null;
        }
        List<String> header = List.of("model · where the handler runs", "answered/s", "p50 ms", "p99 ms", "max ms",
                "loop lag p99 ms", "loop lag max ms", "failed");
        List<List<String>> rows = new ArrayList<>();
        for (Cell c : cells) {
            Function<String, String> f = m -> Fmt.stat(c.stat(m));
            rows.add(List.of(seriesLabel(r, c.series()), f.apply(ACHIEVED), f.apply(P50), f.apply(P99),
                    f.apply(MAX), f.apply(LAG_P99), f.apply(LAG_MAX), Fmt.count(Math.round(failed(c)))));
        }
        return new Table(id, title + " at " + Fmt.count(cells.get(0).x()) + " req/s (open model), latency from the "
                + "intended send time", header, rows, cells.get(0).note()
                + " Failed: non-2xx, broken or unanswered at the end of the drain.");
    }

    private static Table idlePerConnection(Results r) {
        List<Long> levels = r.levels(Workloads.IDLE);
        if (levels.isEmpty()) {
            return null;
        }
        long top = levels.get(levels.size() - 1);
        long bottom = levels.get(0);
        List<String> header = List.of("model", "RSS per conn, KiB @" + Fmt.count(top),
                "heap per conn, KiB @" + Fmt.count(top), "OS threads @" + Fmt.count(bottom),
                "OS threads @" + Fmt.count(top), "held @" + Fmt.count(top));
        List<List<String>> rows = new ArrayList<>();
        for (String series : r.series(Workloads.IDLE)) {
            Cell t = r.cell(Workloads.IDLE, series, top);
            Cell b = r.cell(Workloads.IDLE, series, bottom);
            rows.add(List.of(seriesLabel(r, series), t == null ? "–" : Fmt.stat(t.stat(RSS_PER_CONN)),
                    t == null ? "–" : Fmt.stat(t.stat(HEAP_PER_CONN)), b == null ? "–" : Fmt.stat(b.stat(THREADS)),
                    t == null ? "–" : Fmt.stat(t.stat(THREADS)), t == null ? "–" : Fmt.stat(t.stat(HELD))));
        }
        return new Table("idle-per-conn", "Idle keep-alive connections: cost per connection", header, rows,
                "Per connection: (value with N connections − value with none) / N. Heap after a full GC; Node.js "
                        + "reports its V8 heap. OS threads from /proc (virtual threads are not OS threads).");
    }

    /**
     * @param r results
     * @param series a model id or {@code model/variant}
     * @return its display label
     */
    public static String seriesLabel(Results r, String series) {
        int slash = series.indexOf('/');
        String model = slash < 0 ? series : series.substring(0, slash);
        String label = r.model(model).label();
        if (slash < 0) {
            return label;
        }
        String variant = series.substring(slash + 1);
        return label + " · " + variantLabel(variant);
    }

    /** @param variant a variant id, e.g. {@code offload} @return how the reports name it */
    static String variantLabel(String variant) {
        return switch (variant) {
            case "loop" -> "on the event loop";
            case "offload" -> "offloaded to workers";
            case "thread" -> "on the request thread";
            case "virtual" -> "blocking(...) on a virtual thread";
            default -> variant;
        };
    }

    /** @param r results @return the Little's-law bound for a delay level, for charts */
    static double littleBound(Results r, long connections) {
        Cell any = r.cells(Workloads.DELAY).stream().filter(c -> c.x() == connections).findFirst().orElse(null);
        Stat s = any == null ? null : any.stat(LITTLE_RPS);
        return s == null ? connections / 0.050 : s.median();
    }
}
