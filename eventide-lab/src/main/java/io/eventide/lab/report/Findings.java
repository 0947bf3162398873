package io.eventide.lab.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The headline comparisons of a run, computed from the numbers so that every report states them
 * the same way: where the event loop wins and by how much, and where threads win. Comparisons
 * whose cells are missing (a model or workload skipped) are left out.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Findings {
    static final String LOOP = "eventide-1";
    static final String LOOPS = "eventide-n";
    static final String PLATFORM = "jetty";
    static final String VIRTUAL = "helidon";

    private Findings() {
    }

    /** @param r results @return one sentence per finding */
    public static List<String> of(Results r) {
        List<String> out = new ArrayList<>();
        throughput(r, Workloads.PLAINTEXT, out);
        delay(r, out);
        cpuMix(r, out);
        idle(r, out);
        open(r, out);
        blocking(r, Workloads.BLOCKING_SLEEP, out);
        blocking(r, Workloads.BLOCKING_JDBC, out);
        threadWins(r, out);
        return out;
    }

    private static void throughput(Results r, String w, List<String> out) {
        List<Long> levels = r.levels(w);
        if (levels.isEmpty()) {
            return;
        }
        long top = levels.get(levels.size() - 1);
        Double loop = med(r, w, LOOP, top, Workloads.RPS);
        Double jetty = med(r, w, PLATFORM, top, Workloads.RPS);
        Double helidon = med(r, w, VIRTUAL, top, Workloads.RPS);
        if (loop == null || jetty == null) {
            return;
        }
        String s = "GET /" + w + " at " + Fmt.count(top) + " connections: " + label(r, LOOP) + " " + Fmt.num(loop)
                + " responses/s, " + label(r, PLATFORM) + " " + Fmt.num(jetty) + " (" + ratio(loop, jetty) + ")";
        if (helidon != null) {
            s += ", " + label(r, VIRTUAL) + " " + Fmt.num(helidon) + " (" + ratio(loop, helidon) + ")";
        }
        Double p99Loop = med(r, w, LOOP, top, Workloads.P99);
        Double p99Jetty = med(r, w, PLATFORM, top, Workloads.P99);
        if (p99Loop != null && p99Jetty != null) {
            s += "; p99 " + Fmt.num(p99Loop) + " ms vs " + Fmt.num(p99Jetty) + " ms";
        }
        out.add(s + ".");
    }

    private static void delay(Results r, List<String> out) {
        List<Long> levels = r.levels(Workloads.DELAY);
        if (levels.isEmpty()) {
            return;
        }
        long top = levels.get(levels.size() - 1);
        Double loop = med(r, Workloads.DELAY, LOOP, top, Workloads.RPS);
        Double jetty = med(r, Workloads.DELAY, PLATFORM, top, Workloads.RPS);
        Double helidon = med(r, Workloads.DELAY, VIRTUAL, top, Workloads.RPS);
        if (loop == null || jetty == null) {
            return;
        }
        String s = "GET /delay?ms=50 at " + Fmt.count(top) + " connections (Little's law allows "
                + Fmt.num(top / 0.05) + "/s): " + label(r, LOOP) + " " + Fmt.num(loop) + "/s, " + label(r, PLATFORM)
                + " " + Fmt.num(jetty) + "/s, capped by 200 threads / 50 ms = 4,000/s (" + ratio(loop, jetty) + ")";
        if (helidon != null) {
            s += "; " + label(r, VIRTUAL) + " " + Fmt.num(helidon) + "/s";
        }
        Double p99Loop = med(r, Workloads.DELAY, LOOP, top, Workloads.P99);
        Double p99Jetty = med(r, Workloads.DELAY, PLATFORM, top, Workloads.P99);
        if (p99Loop != null && p99Jetty != null) {
            s += "; p99 " + Fmt.num(p99Loop) + " ms vs " + Fmt.num(p99Jetty) + " ms";
        }
        out.add(s + ".");
    }

    private static void cpuMix(Results r, List<String> out) {
        List<Long> levels = r.levels(Workloads.CPU_MIX);
        if (levels.isEmpty()) {
            return;
        }
        long x = levels.get(0);
        List<String> parts = new ArrayList<>();
        for (Results.Model m : r.models()) {
            Double loop = med(r, Workloads.CPU_MIX, m.id() + "/loop", x, Workloads.CHEAP_P99);
            Double offload = med(r, Workloads.CPU_MIX, m.id() + "/offload", x, Workloads.CHEAP_P99);
            Double thread = med(r, Workloads.CPU_MIX, m.id() + "/thread", x, Workloads.CHEAP_P99);
            if (loop != null && offload != null) {
                parts.add(m.label() + " " + Fmt.num(loop) + " ms with /cpu on the loop, " + Fmt.num(offload)
                        + " ms offloaded (" + (offload < loop ? ratio(loop, offload) + " lower"
                                : "no better: " + ratio(offload, loop) + " the loop's") + ")");
            } else if (thread != null) {
                parts.add(m.label() + " " + Fmt.num(thread) + " ms");
            }
        }
        if (!parts.isEmpty()) {
            out.add("CPU mix, p99 of the cheap requests while 1% compute: " + String.join("; ", parts) + ".");
        }
    }

    private static void idle(Results r, List<String> out) {
        List<Long> levels = r.levels(Workloads.IDLE);
        if (levels.isEmpty()) {
            return;
        }
        long top = levels.get(levels.size() - 1);
        List<String> parts = new ArrayList<>();
        for (Results.Model m : r.models()) {
            Double kib = med(r, Workloads.IDLE, m.id(), top, Workloads.RSS_PER_CONN);
            Double threads = med(r, Workloads.IDLE, m.id(), top, Workloads.THREADS);
            if (kib != null) {
                parts.add(m.label() + " " + Fmt.num(kib) + " KiB" + (threads == null ? ""
                        : " (" + Fmt.num(threads) + " OS threads)"));
            }
        }
        if (!parts.isEmpty()) {
            out.add("Memory per idle connection at " + Fmt.count(top) + " connections (RSS growth / connections): "
                    + String.join(", ", parts) + ".");
        }
    }

    private static void open(Results r, List<String> out) {
        List<Long> levels = r.levels(Workloads.OPEN);
        if (levels.isEmpty()) {
            return;
        }
        long top = levels.get(levels.size() - 1);
        List<String> parts = new ArrayList<>();
        for (Results.Model m : r.models()) {
            Double p99 = med(r, Workloads.OPEN, m.id(), top, Workloads.P99);
            Double achieved = med(r, Workloads.OPEN, m.id(), top, Workloads.ACHIEVED);
            if (p99 != null) {
                boolean saturated = achieved != null && achieved < 0.95 * top;
                parts.add(m.label() + " " + Fmt.num(p99) + " ms" + (saturated
                        ? " (saturated: " + Fmt.num(achieved) + "/s answered)" : ""));
            }
        }
        if (!parts.isEmpty()) {
            out.add("GET /json at a fixed " + Fmt.count(top) + " req/s, p99 from the intended send time: "
                    + String.join(", ", parts) + ".");
        }
    }

    private static void blocking(Results r, String w, List<String> out) {
        List<Long> levels = r.levels(w);
        if (levels.isEmpty()) {
            return;
        }
        long x = levels.get(0);
        for (Results.Model m : r.models()) {
            List<String> parts = new ArrayList<>();
            for (String variant : List.of("loop", "offload", "virtual")) {
                Double achieved = med(r, w, m.id() + "/" + variant, x, Workloads.ACHIEVED);
                Double p99 = med(r, w, m.id() + "/" + variant, x, Workloads.P99);
                Double lag = med(r, w, m.id() + "/" + variant, x, Workloads.LAG_P99);
                if (achieved != null && p99 != null && lag != null) {
                    parts.add(ReportTables.variantLabel(variant) + " " + Fmt.num(achieved) + "/s, p99 "
                            + Fmt.num(p99) + " ms, loop lag p99 " + Fmt.num(lag) + " ms");
                }
            }
            if (!parts.isEmpty()) {
                out.add((w.equals(Workloads.BLOCKING_SLEEP) ? "A handler that sleeps" : "A handler that queries "
                        + "PostgreSQL through JDBC") + ", " + Fmt.count(x) + " req/s offered, " + m.label() + ": "
                        + String.join("; ", parts) + ".");
            }
        }
    }

    private static void threadWins(Results r, List<String> out) {
        if (r.levels(Workloads.PLAINTEXT).isEmpty() && r.levels(Workloads.JSON).isEmpty()
                && r.levels(Workloads.DELAY).isEmpty()) {
            return; // no throughput cell to compare
        }
        List<String> wins = new ArrayList<>();
        for (String w : List.of(Workloads.PLAINTEXT, Workloads.JSON, Workloads.DELAY)) {
            for (long x : r.levels(w)) {
                Double loop = best(r, w, x, LOOP, LOOPS);
                Double threads = best(r, w, x, PLATFORM, VIRTUAL);
                if (loop != null && threads != null && threads > loop * 1.05) {
                    wins.add("/" + w + " at " + Fmt.count(x) + " connections (" + Fmt.num(threads) + " vs "
                            + Fmt.num(loop) + "/s, " + ratio(threads, loop) + ")");
                }
            }
        }
        out.add(wins.isEmpty() ? "Threads out-served the best Eventide configuration in no throughput cell."
                : "Threads out-served the best Eventide configuration by more than 5% in: " + String.join(", ", wins)
                        + ".");
    }

    private static Double best(Results r, String w, long x, String... series) {
        Double best = null;
        for (String s : series) {
            Double v = med(r, w, s, x, Workloads.RPS);
            if (v != null && (best == null || v > best)) {
                best = v;
            }
        }
        return best;
    }

    static Double med(Results r, String w, String series, long x, String metric) {
        Cell c = r.cell(w, series, x);
        Stat s = c == null ? null : c.stat(metric);
        return s == null ? null : s.median();
    }

    private static String label(Results r, String id) {
        return r.model(id).label();
    }

    private static String ratio(double a, double b) {
        return b <= 0 ? "n/a" : Fmt.times(a / b);
    }
}
