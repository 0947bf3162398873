package io.eventide.demo;

import java.nio.charset.StandardCharsets;

/**
 * What every serving model serves: the bodies, the CPU job and the parameter parsing of the
 * standard workload, shared so that the servers differ only in how they schedule the work. The one
 * copy: Eventide serves it with {@link BenchApp} (for {@code examples/Bench.java}, {@code bench/}
 * and the lab), the lab's Jetty, Helidon, Vert.x and thread-pool servers with these same pieces.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>endpoint</th><th>answer</th></tr>
 *   <tr><td>{@code GET /plaintext}</td><td>{@value #HELLO}, {@code text/plain}</td></tr>
 *   <tr><td>{@code GET /json}</td><td>{@code {"message":"Hello, World!"}}</td></tr>
 *   <tr><td>{@code POST /echo}</td><td>the request body</td></tr>
 *   <tr><td>{@code GET /delay?ms=N}</td><td>after N ms: a timer on event loops, a blocked thread on
 *       thread-based servers (the way a JDBC call holds its thread)</td></tr>
 *   <tr><td>{@code GET /cpu?n=N[&offload=1]}</td><td>{@link #cpu(int)} on the loop or request
 *       thread, or on a worker with {@code offload=1} where the model has workers</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Workload {
    /** The plaintext body. */
    public static final String HELLO = "Hello, World!";
    /** The plaintext body, encoded. */
    public static final byte[] HELLO_BYTES = HELLO.getBytes(StandardCharsets.US_ASCII);
    /** Default size of a {@code /cpu} job when {@code n} is absent. */
    public static final int DEFAULT_CPU_N = 1000;
    /**
     * Accept backlog of every model: the same for all, and large enough that a burst of 10,000
     * connects measures the server, not the JDK's default backlog of 50.
     */
    public static final int BACKLOG = 4096;
    /** Keep-alive idle timeout of every model, seconds: longer than any cell of the lab. */
    public static final int IDLE_TIMEOUT_SECONDS = 120;

    private Workload() {
    }

    /**
     * The JSON document: {@code {"message":"Hello, World!"}}.
     *
     * <p><b>Threading:</b> immutable value; any thread.
     *
     * @param message the text
     */
    public record Message(String message) {
    }

    /**
     * A deterministic CPU-bound job: n rounds of a 64-bit
     * mix over a 1 KiB block, about 0.3 ms per 1,000 rounds on a 2020s server core.
     *
     * @param n rounds
     * @return the mixed value, so the JIT cannot drop the work
     */
    public static long cpu(int n) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 128; j++) {
                h ^= h >>> 33;
                h *= 0xff51afd7ed558ccdL;
                h += j;
            }
        }
        return h;
    }

    /**
     * @param s a query parameter, may be null
     * @param dflt the value when absent or malformed
     * @return the parsed value
     */
    public static long parse(String s, long dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt; // a malformed parameter means "use the default"
        }
    }

    /**
     * @param query a raw query string ({@code a=1&b=2}), may be null
     * @param name the parameter
     * @return its value, or null when absent
     */
    public static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        int from = 0;
        while (from <= query.length()) {
            int amp = query.indexOf('&', from);
            int end = amp < 0 ? query.length() : amp;
            int eq = query.indexOf('=', from);
            if (eq > from && eq < end && query.regionMatches(from, name, 0, name.length())
                    && eq - from == name.length()) {
                return query.substring(eq + 1, end);
            }
            if (amp < 0) {
                break;
            }
            from = amp + 1;
        }
        return null;
    }

    /** The text of a {@code /delay} answer. @param ms the delay @return the body */
    public static String delayed(long ms) {
        return "delayed " + ms + " ms\n";
    }

    /** The text of a {@code /cpu} answer. @param n rounds @param result the job's value
     *  @param where "loop", "worker" or "thread" @return the body */
    public static String cpuAnswer(long n, long result, String where) {
        return "cpu " + n + " = " + result + " (" + where + ")\n";
    }
}
