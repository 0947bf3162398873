package io.eventide.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Synthetic results with known numbers, for the report tests. */
final class SampleResults {
    private SampleResults() {
    }

    static Map<String, Double> m(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }

    static Results build() {
        List<Cell> cells = new ArrayList<>();
        for (long c : List.of(50L, 1_000L, 10_000L)) {
            cells.add(Cell.of(Workloads.PLAINTEXT, "eventide-1", "", c, List.of(
                    m(Workloads.RPS, 40_000, Workloads.P99, 2, Workloads.ERRORS, 0),
                    m(Workloads.RPS, 42_000, Workloads.P99, 3, Workloads.ERRORS, 0),
                    m(Workloads.RPS, 44_000, Workloads.P99, 4, Workloads.ERRORS, 0)), ""));
            cells.add(Cell.of(Workloads.PLAINTEXT, "jetty", "", c, List.of(
                    m(Workloads.RPS, 20_000, Workloads.P99, 9, Workloads.ERRORS, 12),
                    m(Workloads.RPS, 21_000, Workloads.P99, 10, Workloads.ERRORS, 12)), ""));
        }
        for (long c : List.of(100L, 10_000L)) {
            cells.add(Cell.of(Workloads.DELAY, "eventide-1", "", c, List.of(
                    m(Workloads.RPS, Math.min(c / 0.05, 30_000), Workloads.P99, 55, Workloads.LITTLE_RPS, c / 0.05)),
                    ""));
            cells.add(Cell.of(Workloads.DELAY, "jetty", "", c, List.of(
                    m(Workloads.RPS, Math.min(c / 0.05, 3_950), Workloads.P99, 2_600, Workloads.LITTLE_RPS, c / 0.05)),
                    ""));
        }
        cells.add(Cell.of(Workloads.CPU_MIX, "eventide-1", "loop", 1_000, List.of(
                m(Workloads.CHEAP_P50, 0.4, Workloads.CHEAP_P99, 7.5, Workloads.ERRORS, 0)), "n=20,000"));
        cells.add(Cell.of(Workloads.CPU_MIX, "eventide-1", "offload", 1_000, List.of(
                m(Workloads.CHEAP_P50, 0.3, Workloads.CHEAP_P99, 1.5, Workloads.ERRORS, 0)), "n=20,000"));
        cells.add(Cell.of(Workloads.CPU_MIX, "jetty", "thread", 1_000, List.of(
                m(Workloads.CHEAP_P50, 0.5, Workloads.CHEAP_P99, 2.5, Workloads.ERRORS, 0)), "n=20,000"));
        cells.add(Cell.of(Workloads.BLOCKING_SLEEP, "eventide-1", "loop", 300, List.of(
                m(Workloads.ACHIEVED, 48, Workloads.P99, 2_900, Workloads.LAG_P99, 1_300, Workloads.LAG_MAX, 1_400,
                        Workloads.ERRORS, 0, Workloads.INCOMPLETE, 500)), "Thread.sleep(20)"));
        cells.add(Cell.of(Workloads.BLOCKING_SLEEP, "eventide-1", "offload", 300, List.of(
                m(Workloads.ACHIEVED, 190, Workloads.P99, 1_800, Workloads.LAG_P99, 2, Workloads.LAG_MAX, 5,
                        Workloads.ERRORS, 0, Workloads.INCOMPLETE, 200)), "Thread.sleep(20)"));
        cells.add(Cell.of(Workloads.BLOCKING_SLEEP, "eventide-1", "virtual", 300, List.of(
                m(Workloads.ACHIEVED, 300, Workloads.P99, 33, Workloads.LAG_P99, 2.1, Workloads.LAG_MAX, 15,
                        Workloads.ERRORS, 0, Workloads.INCOMPLETE, 0)), "Thread.sleep(20)"));
        for (long n : List.of(1_000L, 15_000L)) {
            cells.add(Cell.of(Workloads.IDLE, "eventide-1", "", n, List.of(m(Workloads.RSS, 60 + n * 4 / 1024.0,
                    Workloads.HEAP, 20 + n * 1.5 / 1024,
                    Workloads.RSS_PER_CONN, 4, Workloads.HEAP_PER_CONN, 1.5, Workloads.THREADS, 17, Workloads.HELD, n)),
                    ""));
            cells.add(Cell.of(Workloads.IDLE, "jetty", "", n, List.of(m(Workloads.RSS, 90 + n * 9 / 1024.0,
                    Workloads.RSS_PER_CONN, 9, Workloads.HEAP_PER_CONN, 4, Workloads.THREADS, 215, Workloads.HELD, n)),
                    ""));
        }
        cells.add(Cell.of(Workloads.OPEN, "eventide-1", "", 5_000, List.of(m(Workloads.P99, 1.2,
                Workloads.ACHIEVED, 4_999)), ""));
        cells.add(Cell.of(Workloads.OPEN, "jetty", "", 5_000, List.of(m(Workloads.P99, 800,
                Workloads.ACHIEVED, 3_000)), ""));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("date", "2026-11-23 14:00 UTC");
        meta.put("CPU", "Test CPU <fast> & cheap, 2 cores");
        return new Results(meta, List.of("a note"), List.of(
                new Results.Model("eventide-1", "Eventide, 1 loop", "event loop", "one loop"),
                new Results.Model("jetty", "Jetty 12, 200 platform threads", "platform threads", "servlets")), cells);
    }
}
