package io.eventide.cluster.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * The cluster's output: each worker line goes to the supervisor's own output prefixed with the
 * worker's slot and pid ({@code [w2 4242] ...}; standard error to standard error) and, unprefixed,
 * to {@code worker-<slot>.log}; the supervisor's events go to its standard output and
 * {@code cluster.log}. Files are appended across restarts and supervisor runs; a marker line
 * starts each worker process's section.
 *
 * <p><b>Threading:</b> any thread; lines are written whole, one at a time.
 */
final class Logs implements AutoCloseable {
    private final Path dir;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<Integer, Writer> files = new HashMap<>();
    private Writer clusterLog;

    Logs(Path dir, PrintStream out, PrintStream err) throws IOException {
        this.dir = dir;
        this.out = out;
        this.err = err;
        Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    /** Reads a worker's stream to its end on a virtual thread. */
    void pump(Worker w, InputStream stream, boolean isErr) {
        Thread.ofVirtual().name("eventide-cluster-log-" + w.slot).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) { // blocking-ok: own thread
                    line(w, line, isErr);
                }
            } catch (IOException e) {
                // The worker's pipe broke: the process is gone, and its exit is reported elsewhere.
            }
        });
    }

    synchronized void line(Worker w, String text, boolean isErr) {
        (isErr ? err : out).println("[w" + w.slot + " " + w.pid + "] " + text);
        append(workerFile(w.slot), text);
    }

    /** A supervisor event: standard output, cluster.log, and the worker's file when it concerns one. */
    synchronized void event(Worker w, String text) {
        out.println("eventide cluster: " + text);
        String stamped = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + text;
        append(clusterFile(), stamped);
        if (w != null) {
            append(workerFile(w.slot), "--- " + stamped);
        }
    }

    private Writer workerFile(int slot) {
        return files.computeIfAbsent(slot, s -> open(dir.resolve("worker-" + s + ".log")));
    }

    private Writer clusterFile() {
        if (clusterLog == null) {
            clusterLog = open(dir.resolve("cluster.log"));
        }
        return clusterLog;
    }

    private Writer open(Path file) {
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            err.println("eventide cluster: cannot write " + file + ": " + e.getMessage() + "; logging to the terminal only");
            return Writer.nullWriter();
        }
    }

    private void append(Writer w, String text) {
        try {
            w.write(text);
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            // Disk full or gone: the line still reached the terminal.
        }
    }

    @Override
    public synchronized void close() {
        for (Writer w : files.values()) {
            closeQuietly(w);
        }
        if (clusterLog != null) {
            closeQuietly(clusterLog);
        }
        out.flush();
        err.flush();
    }

    private static void closeQuietly(Writer w) {
        try {
            w.close();
        } catch (IOException e) {
            // Nothing more to write there.
        }
    }
}
