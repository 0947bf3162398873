package io.eventide.lab.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs wrk (closed loop: each connection keeps one request outstanding) pinned to the load CPUs,
 * and reads its numbers through a Lua {@code done} hook that prints them as one JSON line, so
 * nothing depends on wrk's human-readable output.
 *
 * <p><b>Threading:</b> blocks the calling thread for the length of the run.
 */
public final class Wrk {
    /** The Lua hook: one {@code LAB WRK {...}} line with counts and latency percentiles (µs). */
    static final String SCRIPT = """
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format('LAB WRK {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,'
                .. '"write":%d,"status":%d,"timeout":%d,"meanUs":%.1f,"p50Us":%d,"p90Us":%d,"p99Us":%d,'
                .. '"p999Us":%d,"maxUs":%d}\\n',
                summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
                latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
                latency:percentile(99.9), latency.max))
            end
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What one wrk run measured.
     *
     * <p><b>Threading:</b> immutable value; any thread.
     *
     * @param rps responses per second
     * @param meanMs mean latency
     * @param p50Ms median latency
     * @param p90Ms 90th percentile
     * @param p99Ms 99th percentile
     * @param maxMs largest latency
     * @param requests responses counted
     * @param errors connect, read, write and timeout errors plus non-2xx responses
     */
    public record Result(double rps, double meanMs, double p50Ms, double p90Ms, double p99Ms, double maxMs,
            long requests, long errors) {
    }

    private Wrk() {
    }

    /**
     * @param env the machine (wrk must be present)
     * @param port server port
     * @param path request target
     * @param connections open connections
     * @param seconds duration
     * @param timeoutSeconds a request slower than this counts as a timeout error
     * @return the measurements
     * @throws IOException when wrk fails or prints no result
     */
    public static Result run(Environment env, int port, String path, int connections, int seconds,
            int timeoutSeconds) throws IOException {
        Path script = env.scratch().resolve("lab-wrk.lua");
        if (!Files.exists(script)) {
            Files.writeString(script, SCRIPT);
        }
        int threads = Math.max(1, Math.min(env.loadCores(), connections));
        List<String> cmd = new ArrayList<>(List.of(env.wrk().toString(), "-t" + threads, "-c" + connections,
                "-d" + seconds + "s", "--timeout", timeoutSeconds + "s", "-s", script.toString(),
                "http://127.0.0.1:" + port + path));
        Process p = new ProcessBuilder(env.pinned(env.loadCpus(), cmd)).redirectErrorStream(true).start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("wrk did not finish");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return parse(new String(out, StandardCharsets.UTF_8));
    }

    /**
     * @param output wrk's output with the hook's line in it
     * @return the measurements
     * @throws IOException when there is no result line
     */
    static Result parse(String output) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith("LAB WRK ")) {
                JsonNode j = JSON.readTree(line.substring("LAB WRK ".length()));
                double seconds = j.get("durationUs").asDouble() / 1e6;
                long requests = j.get("requests").asLong();
                long errors = j.get("connect").asLong() + j.get("read").asLong() + j.get("write").asLong()
                        + j.get("timeout").asLong() + j.get("status").asLong();
                return new Result(seconds > 0 ? requests / seconds : 0, ms(j, "meanUs"), ms(j, "p50Us"),
                        ms(j, "p90Us"), ms(j, "p99Us"), ms(j, "maxUs"), requests, errors);
            }
        }
        throw new IOException("wrk printed no result: " + output.strip().lines().limit(5).toList());
    }

    private static double ms(JsonNode j, String field) {
        return j.get(field).asDouble() / 1000.0;
    }
}
