package io.eventide.cluster.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One worker process: its slot, generation, state and latest figures.
 *
 * <pre>
 *   STARTING ──ready──► READY ──SIGTERM──► DRAINING ──exit──► EXITED
 *      │                  │ (crash, kill -9)                     ▲
 *      └──────────────────┴──────────────────exit─────────────────┘
 * </pre>
 *
 * <p><b>Threading:</b> confined to the supervisor thread.
 */
final class Worker {
    enum State { STARTING, READY, DRAINING, EXITED }

    final int slot;
    final int generation;
    final Process process;
    final long pid;
    final long startedNanos = System.nanoTime();
    State state = State.STARTING;
    long readyNanos;
    long drainNanos;
    int port = -1;
    int directPort = -1;
    int exitCode = -1;
    /** Why it was asked to drain ("reload", "memory", "stop"); null while not asked. */
    String drainReason;
    private long requests = -1;
    private long statsNanos;
    double rps;
    long heap;
    long heapMax;
    long lagMicros;
    int connections;

    Worker(int slot, int generation, Process process) {
        this.slot = slot;
        this.generation = generation;
        this.process = process;
        this.pid = process.pid();
    }

    boolean alive() {
        return state != State.EXITED;
    }

    /** Applies a {@code stats} line's fields; the request rate is the change since the previous one. */
    void stats(Map<String, String> f) {
        long now = System.nanoTime();
        long req = number(f, "requests");
        if (requests >= 0 && now > statsNanos && req >= requests) {
            rps = (req - requests) * 1e9 / (now - statsNanos);
        }
        requests = req;
        statsNanos = now;
        heap = number(f, "heap");
        heapMax = number(f, "heapmax");
        lagMicros = number(f, "lag");
        connections = (int) number(f, "conns");
    }

    private static long number(Map<String, String> f, String key) {
        try {
            return Long.parseLong(f.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0; // a garbled figure shows as 0 in status; it steers nothing
        }
    }

    /** @return resident memory in bytes from /proc (Linux), or -1 where that cannot be read */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the process just exited: no figure.
        }
        return -1;
    }

    /** @return seconds since the process started */
    double uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Sends SIGTERM: a hosted app drains and exits 0. */
    void drain(String reason) {
        if (drainReason == null && alive()) {
            drainReason = reason;
            drainNanos = System.nanoTime();
            if (state != State.EXITED) {
                state = State.DRAINING;
            }
            process.toHandle().destroy();
        }
    }

    /** Sends SIGKILL. */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    /** @return how an exit status reads: " (SIGKILL)" for 137, and so on */
    static String describe(int code) {
        return switch (code) {
            case 137 -> " (SIGKILL)";
            case 143 -> " (SIGTERM)";
            case 134 -> " (SIGABRT)";
            default -> "";
        };
    }

    @Override
    public String toString() {
        return "worker " + slot + " (pid " + pid + ")";
    }
}
