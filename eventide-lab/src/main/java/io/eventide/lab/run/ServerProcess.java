package io.eventide.lab.run;

import io.eventide.lab.servers.ControlChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A serving model running as a child process, pinned to the server CPUs, with its output in a log
 * file and its control channel ({@link ControlChannel}) on standard input and output.
 *
 * <p>Stopping it ({@link #close}) sends SIGTERM to that one process, waits, then kills it: by PID,
 * never by name.
 *
 * <p><b>Threading:</b> used by the orchestrator's thread; a daemon thread per process copies its
 * output to the log and hands {@code LAB} lines over through a queue.
 */
public final class ServerProcess implements AutoCloseable {
    /** JVM flags every Java server runs with. */
    public static final List<String> JVM_FLAGS = List.of("-XX:+UseParallelGC", "-Xmx2g");

    private final ServerModel model;
    private final int port;
    private final Process process;
    private final PrintWriter control;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ServerProcess(ServerModel model, int port, Process process, Path log) {
        this.model = model;
        this.port = port;
        this.process = process;
        this.control = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread t = new Thread(() -> pump(process.getInputStream(), log), "lab-log-" + model.id());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts {@code model} on {@code port}.
     *
     * @param model what to start
     * @param port where it listens
     * @param env the machine
     * @return the running process (not yet known to be ready: see {@link #awaitReady})
     * @throws IOException when it cannot be started
     */
    public static ServerProcess start(ServerModel model, int port, Environment env) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (model.isNode()) {
            Path script = env.scratch().resolve("node-server.js");
            if (!Files.exists(script)) {
                try (InputStream in = ServerProcess.class.getResourceAsStream(
                        "/io/eventide/lab/servers/node-server.js")) {
                    Files.copy(in, script);
                }
            }
            cmd.addAll(List.of(env.node().toString(), "--expose-gc", script.toString()));
        } else {
            cmd.add(env.java().toString());
            cmd.addAll(JVM_FLAGS);
            cmd.addAll(List.of("-cp", env.classPath(), model.mainClass()));
        }
        Path log = env.scratch().resolve(model.id() + "-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(env.pinned(env.serverCpus(), cmd))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(model.env());
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put(ControlChannel.ENV, "1");
        return new ServerProcess(model, port, pb.start(), log);
    }

    private void pump(InputStream in, Path log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = r.readLine()) != null) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (line.startsWith(ControlChannel.PREFIX)) {
                    lines.add(line.substring(ControlChannel.PREFIX.length()));
                }
            }
        } catch (IOException e) {
            // The process ended or the log broke; isAlive() and the timeouts report the consequence.
        }
    }

    /**
     * Waits for the ready line, then for {@code GET /plaintext} to answer 200.
     *
     * @param timeout bound on the wait
     * @throws IOException when it is not ready in time or died
     */
    public void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        expect("READY", deadline);
        while (System.nanoTime() < deadline) {
            if (Http.get("127.0.0.1", port, "/plaintext", Duration.ofSeconds(2)) == 200) {
                return;
            }
            pause(100);
        }
        throw new IOException(model.id() + " did not answer GET /plaintext on port " + port);
    }

    /**
     * Reads the server's memory and threads: RSS and OS threads from /proc, the heap after a full
     * GC through the control channel.
     *
     * @param timeout bound on the wait for the answer
     * @return the stats
     * @throws IOException when the server does not answer
     */
    public Stats stats(Duration timeout) throws IOException {
        lines.clear();
        control.println("stats");
        String line = expect("STATS", System.nanoTime() + timeout.toNanos());
        long heap = Long.parseLong(field(line, "heapUsed"));
        long[] proc = ProcStatus.read(process.pid());
        return new Stats(proc[0], (int) proc[1], heap);
    }

    /**
     * Memory and threads of a server.
     *
     * <p><b>Threading:</b> immutable value; any thread.
     *
     * @param rssKiB resident set, KiB
     * @param threads OS threads
     * @param heapBytes heap used after a full GC
     */
    public record Stats(long rssKiB, int threads, long heapBytes) {
    }

    /**
     * Forgets the loop lag the server saw so far.
     *
     * @param timeout bound on the wait for the answer
     * @return false when the server does not measure loop lag
     * @throws IOException when the server does not answer
     */
    public boolean resetLag(Duration timeout) throws IOException {
        lines.clear();
        control.println("lag reset");
        return !expect("LAG", System.nanoTime() + timeout.toNanos()).equals("LAG none");
    }

    /**
     * Waits until the server has no client connection open: the connections a load generator
     * left (and the requests queued on them) are gone.
     *
     * @param timeout bound on the wait
     * @throws IOException when connections remain, or the server cannot count them
     */
    public void awaitNoConnections(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int open;
        do {
            lines.clear();
            control.println("connections");
            String line = expect("CONNECTIONS", deadline);
            if (line.equals("CONNECTIONS none")) {
                throw new IOException(model.id() + " does not count its connections");
            }
            open = Integer.parseInt(field(line, "n"));
            if (open > 0) {
                pause(50);
            }
        } while (open > 0 && System.nanoTime() < deadline);
        if (open > 0) {
            throw new IOException(model.id() + " still had " + open + " connection(s) open after " + timeout.toSeconds()
                    + " s");
        }
    }

    /**
     * Reads the loop lag since {@link #resetLag}: the worst loop's.
     *
     * @param timeout bound on the wait for the answer
     * @return the lag, or null when the server does not measure it
     * @throws IOException when the server does not answer
     */
    public Lag lag(Duration timeout) throws IOException {
        lines.clear();
        control.println("lag");
        String line = expect("LAG", System.nanoTime() + timeout.toNanos());
        if (line.equals("LAG none")) {
            return null;
        }
        return new Lag(Long.parseLong(field(line, "p99")) / 1e6, Long.parseLong(field(line, "max")) / 1e6,
                Long.parseLong(field(line, "count")));
    }

    /**
     * Loop lag: how late the loops' timers fired (a 20 ms probe runs on every loop).
     *
     * <p><b>Threading:</b> immutable value; any thread.
     *
     * @param p99Ms the largest p99 over the loops, ms
     * @param maxMs the largest lag, ms
     * @param firings timer firings measured, all loops
     */
    public record Lag(double p99Ms, double maxMs, long firings) {
    }

    private String expect(String kind, long deadline) throws IOException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive() && lines.isEmpty()) {
                throw new IOException(model.id() + (process.isAlive() ? " did not answer " + kind + " in time"
                        : " exited with status " + exitValue()) + "; see its log");
            }
            try {
                String line = lines.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
                if (line != null && line.startsWith(kind)) {
                    return line;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private int exitValue() {
        try {
            return process.exitValue();
        } catch (IllegalThreadStateException e) {
            return -1;
        }
    }

    static String field(String line, String name) {
        for (String part : line.split("\\s+")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + name + " in: " + line);
    }

    /** @return the model it serves */
    public ServerModel model() {
        return model;
    }

    /** @return its port */
    public int port() {
        return port;
    }

    /** @return whether it still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops it: SIGTERM to its PID, then SIGKILL after 5 s. */
    @Override
    public void close() {
        control.close();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis); // blocking-ok: orchestrator thread polling a child process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Socket-level probe without any HTTP client library. */
    static final class Http {
        private Http() {
        }

        /** @return the status code, or -1 when nothing answered */
        static int get(String host, int port, String path, Duration timeout) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                s.setSoTimeout((int) timeout.toMillis());
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] head = s.getInputStream().readNBytes(12);
                String status = new String(head, StandardCharsets.US_ASCII);
                return status.startsWith("HTTP/1.") && status.length() == 12
                        ? Integer.parseInt(status.substring(9, 12)) : -1;
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
        }
    }
}
