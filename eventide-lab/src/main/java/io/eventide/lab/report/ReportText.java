package io.eventide.lab.report;

import java.util.List;

/**
 * The fixed prose of the reports: how the lab measures, so each number can be read correctly.
 *
 * <p><b>Threading:</b> constants only; any thread.
 */
public final class ReportText {
    /** The title of every report. */
    public static final String TITLE = "Eventide lab: event-driven vs thread-based, on one machine";

    /** How the numbers were taken, one paragraph each. */
    public static final List<String> METHOD = List.of(
            "Each serving model runs in its own process (a JVM, or node), pinned with taskset to the server "
                    + "cores; the load generator runs in another process pinned to the load cores. Traffic goes over "
                    + "loopback (127.0.0.1). All server processes of a workload run side by side, idle except the "
                    + "one under load, and each cell's repetitions are interleaved across models so that outside "
                    + "noise spreads evenly.",
            "Throughput and the delay workload use wrk (closed loop: each connection keeps one request "
                    + "outstanding). Its latencies are what a client that waits for each answer sees; under "
                    + "saturation they understate what users arriving at their own pace would see (coordinated "
                    + "omission), which is what the open-model cells measure.",
            "The open-model cells (fixed rate and CPU mix) use the lab's own driver: requests are due at a "
                    + "constant rate whatever the server does, each latency counts from the moment the request was "
                    + "due, and requests still unanswered at the end are counted at their age, not dropped.",
            "Idle connections: the lab's driver (its own process) opens the connections in steps; each makes one "
                    + "request and then stays silent. RSS and thread count come from /proc/PID/status, the heap from "
                    + "the JVM after System.gc() (Node.js: V8 heap after gc()). Per-connection cost is the growth "
                    + "over the same server's idle baseline divided by the connections held.",
            "Blocking handlers (Eventide only): one server per model, the same blocking call (a 20 ms sleep, or "
                    + "a JDBC lookup that spends 10 ms in PostgreSQL) run on the event loop, offloaded to the worker "
                    + "pool, or in a blocking(...) route on a virtual thread, each at the same fixed rate with the "
                    + "open-model driver. Before each cell the lab waits until the server has no connection open "
                    + "(a collapsed variant leaves requests queued) and resets the loops' lag histograms; after it, "
                    + "it reads them through the server's control channel. Loop lag is how late a 20 ms probe timer "
                    + "fired on the worst loop.",
            "Every cell is repeated and reported as median [min–max] over the repetitions; a wide [min–max] "
                    + "means a noisy cell (see the notes for what else ran on the machine), not a property of the "
                    + "model.");

    private ReportText() {
    }
}
