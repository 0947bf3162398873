package io.eventide.lab.report;

/**
 * The names shared by the runner and the reports: workload ids and metric keys.
 *
 * <table>
 *   <caption>Workloads and their metrics</caption>
 *   <tr><th>workload</th><th>x</th><th>metrics</th></tr>
 *   <tr><td>{@value #PLAINTEXT}, {@value #JSON}, {@value #DELAY}</td><td>connections</td>
 *       <td>{@value #RPS}, {@value #P50}, {@value #P90}, {@value #P99}, {@value #MAX}, {@value #MEAN},
 *       {@value #ERRORS}; {@value #DELAY} adds {@value #LITTLE_RPS}</td></tr>
 *   <tr><td>{@value #CPU_MIX}</td><td>offered req/s</td><td>{@value #CHEAP_P50}, {@value #CHEAP_P99},
 *       {@value #CHEAP_P999}, {@value #CPU_P50}, {@value #CPU_P99}, {@value #ACHIEVED},
 *       {@value #ERRORS}, {@value #INCOMPLETE}</td></tr>
 *   <tr><td>{@value #OPEN}</td><td>offered req/s</td><td>{@value #P50}, {@value #P90}, {@value #P99},
 *       {@value #P999}, {@value #MAX}, {@value #MEAN}, {@value #ACHIEVED}, {@value #ERRORS},
 *       {@value #INCOMPLETE}, {@value #OUTSTANDING}</td></tr>
 *   <tr><td>{@value #BLOCKING_SLEEP}, {@value #BLOCKING_JDBC}</td><td>offered req/s</td><td>{@value #ACHIEVED},
 *       {@value #P50}, {@value #P99}, {@value #MAX}, {@value #ERRORS}, {@value #INCOMPLETE},
 *       {@value #LAG_P99}, {@value #LAG_MAX}; variants {@code loop}, {@code offload}, {@code virtual}</td></tr>
 *   <tr><td>{@value #IDLE}</td><td>connections</td><td>{@value #HELD}, {@value #RSS}, {@value #HEAP},
 *       {@value #THREADS}, {@value #RSS_PER_CONN}, {@value #HEAP_PER_CONN}</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> constants only; any thread.
 */
public final class Workloads {
    /** {@code GET /plaintext}, closed loop (wrk). */
    public static final String PLAINTEXT = "plaintext";
    /** {@code GET /json}, closed loop (wrk). */
    public static final String JSON = "json";
    /** {@code GET /delay?ms=50}, closed loop (wrk). */
    public static final String DELAY = "delay";
    /** 99% {@code /plaintext} and 1% {@code /cpu}, open model. */
    public static final String CPU_MIX = "cpu-mix";
    /** Idle keep-alive connections held open. */
    public static final String IDLE = "idle";
    /** {@code GET /json} at a fixed arrival rate, open model. */
    public static final String OPEN = "open";
    /**
     * The option naming both blocking-route workloads (issue 14): one blocking call on the loop,
     * offloaded, and on a virtual thread.
     */
    public static final String BLOCKING = "blocking";
    /** {@code GET /blocking/sleep/VARIANT?ms=20} at a fixed arrival rate, open model. */
    public static final String BLOCKING_SLEEP = "blocking-sleep";
    /** {@code GET /blocking/jdbc/VARIANT} (a pgjdbc lookup) at a fixed arrival rate, open model. */
    public static final String BLOCKING_JDBC = "blocking-jdbc";

    /** Responses per second. */
    public static final String RPS = "rps";
    /** Median latency, ms. */
    public static final String P50 = "p50Ms";
    /** 90th percentile latency, ms. */
    public static final String P90 = "p90Ms";
    /** 99th percentile latency, ms. */
    public static final String P99 = "p99Ms";
    /** 99.9th percentile latency, ms. */
    public static final String P999 = "p999Ms";
    /** Largest latency, ms. */
    public static final String MAX = "maxMs";
    /** Mean latency, ms. */
    public static final String MEAN = "meanMs";
    /** Failed requests: connect, read, write, timeout, non-2xx. */
    public static final String ERRORS = "errors";
    /** Little's-law bound for the delay workload: connections / delay. */
    public static final String LITTLE_RPS = "littleRps";
    /** Cheap requests' median, ms. */
    public static final String CHEAP_P50 = "cheapP50Ms";
    /** Cheap requests' 99th percentile, ms. */
    public static final String CHEAP_P99 = "cheapP99Ms";
    /** Cheap requests' 99.9th percentile, ms. */
    public static final String CHEAP_P999 = "cheapP999Ms";
    /** CPU requests' median, ms. */
    public static final String CPU_P50 = "cpuP50Ms";
    /** CPU requests' 99th percentile, ms. */
    public static final String CPU_P99 = "cpuP99Ms";
    /** Answers per second in the open model. */
    public static final String ACHIEVED = "achievedRps";
    /** Requests unanswered at the end of an open-model run. */
    public static final String INCOMPLETE = "incomplete";
    /** Time-averaged requests in the system (Little's L). */
    public static final String OUTSTANDING = "meanOutstanding";
    /** Loop lag, p99 over the cell, ms (the worst loop's). */
    public static final String LAG_P99 = "lagP99Ms";
    /** Loop lag, largest over the cell, ms. */
    public static final String LAG_MAX = "lagMaxMs";
    /** Idle connections held. */
    public static final String HELD = "held";
    /** Server resident set, MiB. */
    public static final String RSS = "rssMiB";
    /** Server heap after a full GC, MiB. */
    public static final String HEAP = "heapMiB";
    /** Server OS threads. */
    public static final String THREADS = "threads";
    /** Resident set growth per connection over the idle baseline, KiB. */
    public static final String RSS_PER_CONN = "rssPerConnKiB";
    /** Heap growth per connection over the idle baseline, KiB. */
    public static final String HEAP_PER_CONN = "heapPerConnKiB";

    private Workloads() {
    }
}
