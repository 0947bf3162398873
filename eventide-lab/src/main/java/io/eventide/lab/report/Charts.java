package io.eventide.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The charts of {@code report.html}, built from {@link Results}: throughput and p99 against
 * concurrency per model, the delay workload against Little's law, the CPU-mix latency, the
 * open-model latency, and memory per idle connection. Charts of workloads not run are left out.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Charts {
    private static final Map<String, String> COLORS = Map.of("eventide-1", "#1d4ed8", "eventide-n", "#60a5fa",
            "vertx", "#7c3aed", "node", "#15803d", "jetty", "#dc2626", "helidon", "#ea580c");
    private static final String REFERENCE = "#6b7280";

    private Charts() {
    }

    /** @param r results @return SVG elements, in report order */
    public static List<String> build(Results r) {
        List<String> out = new ArrayList<>();
        for (String w : List.of(Workloads.PLAINTEXT, Workloads.JSON)) {
            add(out, SvgChart.line("GET /" + w + ": throughput vs connections", "connections (log)", "responses/s",
                    true, false, lines(r, w, Workloads.RPS)));
            add(out, SvgChart.line("GET /" + w + ": p99 latency vs connections", "connections (log)",
                    "p99 ms (log)", true, true, lines(r, w, Workloads.P99)));
        }
        List<SvgChart.Series> delay = lines(r, Workloads.DELAY, Workloads.RPS);
        if (!delay.isEmpty()) {
            List<SvgChart.Point> little = new ArrayList<>();
            List<SvgChart.Point> cap = new ArrayList<>();
            for (long x : r.levels(Workloads.DELAY)) {
                double bound = ReportTables.littleBound(r, x);
                little.add(new SvgChart.Point(x, bound, bound, bound));
                double c = Math.min(bound, 200 / 0.050);
                cap.add(new SvgChart.Point(x, c, c, c));
            }
            delay.add(new SvgChart.Series("Little's law: conn / 50 ms", REFERENCE, true, little));
            delay.add(new SvgChart.Series("200 threads / 50 ms", "#fca5a5", true, cap));
            add(out, SvgChart.line("GET /delay?ms=50: throughput vs connections", "connections (log)",
                    "responses/s (log)", true, true, delay));
            add(out, SvgChart.line("GET /delay?ms=50: p99 latency vs connections", "connections (log)",
                    "p99 ms (log)", true, true, lines(r, Workloads.DELAY, Workloads.P99)));
        }
        add(out, cpuMix(r));
        add(out, blocking(r, Workloads.BLOCKING_SLEEP, "Blocking handler, sleep 20 ms"));
        add(out, blocking(r, Workloads.BLOCKING_JDBC, "Blocking handler, JDBC query"));
        add(out, SvgChart.line("GET /json at a fixed rate: p99 from the intended send time", "offered req/s (log)",
                "p99 ms (log)", true, true, lines(r, Workloads.OPEN, Workloads.P99)));
        add(out, SvgChart.line("Idle keep-alive connections: server RSS", "connections (log)", "RSS MiB", true, false,
                lines(r, Workloads.IDLE, Workloads.RSS)));
        add(out, memory(r));
        return out;
    }

    private static void add(List<String> out, String svg) {
        if (svg != null && !svg.isEmpty()) {
            out.add(svg);
        }
    }

    /** One line per series of {@code workload}: {@code metric} against the load level. */
    static List<SvgChart.Series> lines(Results r, String workload, String metric) {
        List<SvgChart.Series> out = new ArrayList<>();
        for (String series : r.series(workload)) {
            List<SvgChart.Point> pts = new ArrayList<>();
            for (Cell c : r.cells(workload)) {
                Stat s = c.series().equals(series) ? c.stat(metric) : null;
                if (s != null) {
                    pts.add(new SvgChart.Point(c.x(), s.median(), s.min(), s.max()));
                }
            }
            if (!pts.isEmpty()) {
                out.add(new SvgChart.Series(ReportTables.seriesLabel(r, series), color(series), false, pts));
            }
        }
        return out;
    }

    private static String cpuMix(Results r) {
        List<Cell> cells = r.cells(Workloads.CPU_MIX);
        List<String> categories = new ArrayList<>();
        List<SvgChart.Point> p50 = new ArrayList<>();
        List<SvgChart.Point> p99 = new ArrayList<>();
        for (Cell c : cells) {
            int i = categories.size();
            categories.add(ReportTables.seriesLabel(r, c.series()));
            point(p50, i, c.stat(Workloads.CHEAP_P50));
            point(p99, i, c.stat(Workloads.CHEAP_P99));
        }
        return SvgChart.bars("CPU mix: latency of the cheap 99% while 1% compute", "ms (log)", true, categories,
                List.of(new SvgChart.Series("cheap p50", "#93c5fd", false, p50),
                        new SvgChart.Series("cheap p99", "#1d4ed8", false, p99)));
    }

    /** Request p99 and loop-lag p99 per model and variant, on a log scale: the loop variant's are far larger. */
    private static String blocking(Results r, String workload, String title) {
        List<Cell> cells = r.cells(workload);
        if (cells.isEmpty()) {
            return "";
        }
        List<String> categories = new ArrayList<>();
        List<SvgChart.Point> p99 = new ArrayList<>();
        List<SvgChart.Point> lag = new ArrayList<>();
        for (Cell c : cells) {
            int i = categories.size();
            categories.add(ReportTables.seriesLabel(r, c.series()));
            point(p99, i, c.stat(Workloads.P99));
            point(lag, i, c.stat(Workloads.LAG_P99));
        }
        return SvgChart.bars(title + " at " + Fmt.count(cells.get(0).x()) + " req/s: request p99 and loop lag p99",
                "ms (log)", true, categories, List.of(new SvgChart.Series("request p99", "#1d4ed8", false, p99),
                        new SvgChart.Series("loop lag p99", "#f59e0b", false, lag)));
    }

    private static String memory(Results r) {
        List<Long> levels = r.levels(Workloads.IDLE);
        if (levels.isEmpty()) {
            return "";
        }
        long top = levels.get(levels.size() - 1);
        List<String> categories = new ArrayList<>();
        List<SvgChart.Point> rss = new ArrayList<>();
        List<SvgChart.Point> heap = new ArrayList<>();
        for (String series : r.series(Workloads.IDLE)) {
            Cell c = r.cell(Workloads.IDLE, series, top);
            if (c == null) {
                continue;
            }
            int i = categories.size();
            categories.add(ReportTables.seriesLabel(r, series));
            point(rss, i, c.stat(Workloads.RSS_PER_CONN));
            point(heap, i, c.stat(Workloads.HEAP_PER_CONN));
        }
        return SvgChart.bars("Memory per idle connection at " + Fmt.count(top) + " connections", "KiB per connection",
                false, categories, List.of(new SvgChart.Series("RSS growth", "#0f766e", false, rss),
                        new SvgChart.Series("heap growth (after GC)", "#5eead4", false, heap)));
    }

    private static void point(List<SvgChart.Point> out, int category, Stat s) {
        if (s != null) {
            out.add(new SvgChart.Point(category, Math.max(0, s.median()), Math.max(0, s.min()), Math.max(0, s.max())));
        }
    }

    /** @param series a model id or {@code model/variant} @return its colour */
    static String color(String series) {
        int slash = series.indexOf('/');
        String model = slash < 0 ? series : series.substring(0, slash);
        String base = COLORS.getOrDefault(model, "#374151");
        return series.endsWith("/offload") ? base + "99" : base;
    }
}
