package io.eventide.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.testing.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A supervisor started as a real process (`Cluster start ... -- java ClusterApp`) on a free port,
 * with its run and log directories under a test's temporary directory. Every wait is bounded.
 */
final class ClusterProcess implements AutoCloseable {
    static final String JAVA = ChildJvm.java();
    /** The workers' class path: the module path's entries too, where the tests run (issue 18). */
    static final String CP = ChildJvm.classPath();

    final String name;
    final Path runBase;
    final Path logDir;
    final int port;
    final Process process;
    private final LineProcess lines;

    private ClusterProcess(String name, Path dir, int port, Process process) {
        this.name = name;
        this.runBase = dir.resolve("run");
        this.logDir = dir.resolve("logs");
        this.port = port;
        this.process = process;
        this.lines = new LineProcess(process);
    }

    /**
     * @param dir a temporary directory
     * @param clusterOptions e.g. "-n", "2"
     * @param workerJvmOptions extra -D/-X options for the workers
     */
    static ClusterProcess start(Path dir, List<String> clusterOptions, List<String> workerJvmOptions) throws IOException {
        return start(dir, clusterOptions, ClusterApp.class, workerJvmOptions);
    }

    /**
     * @param dir a temporary directory
     * @param clusterOptions e.g. "-n", "2"
     * @param app the worker's main class
     * @param workerJvmOptions extra -D/-X options for the workers
     */
    static ClusterProcess start(Path dir, List<String> clusterOptions, Class<?> app, List<String> workerJvmOptions)
            throws IOException {
        int port = freePort();
        String name = "t" + ProcessHandle.current().pid() + "-" + port;
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xmx64m", "-cp", CP, Cluster.class.getName(), "start",
                "--name=" + name, "--run-dir=" + dir.resolve("run"), "--log-dir=" + dir.resolve("logs")));
        cmd.addAll(clusterOptions);
        cmd.add("--");
        cmd.addAll(List.of(JAVA, "-XX:+UseParallelGC", "-Xss1m", "-Deventide.config.port=" + port,
                "-Deventide.config.host=127.0.0.1"));
        cmd.addAll(workerJvmOptions);
        cmd.addAll(List.of("-cp", CP, app.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        return new ClusterProcess(name, dir, port, pb.start());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits (at most 120 s) for a line matching {@code p}; fails with the output so far. */
    String await(Predicate<String> p, String what) throws InterruptedException {
        return lines.await(p, what);
    }

    /** Waits until {@code n} workers reported ready since the last call. */
    void awaitReady(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            await(l -> l.startsWith("eventide cluster: worker ") && l.contains(") ready on port"), "worker ready " + (i + 1) + "/" + n);
        }
    }

    List<String> output() {
        return lines.output();
    }

    /** Runs a command against this cluster in-process; returns its exit status and output. */
    Result command(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--name=" + name);
        a.add("--run-dir=" + runBase);
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        int status;
        synchronized (ClusterProcess.class) {
            System.setOut(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
            try {
                status = Cluster.run(a);
            } finally {
                System.setOut(old);
            }
        }
        return new Result(status, buf.toString(StandardCharsets.UTF_8));
    }

    record Result(int status, String output) {
    }

    /** @return the pids of the workers in state {@code state}, from status --json */
    List<Long> pids(String state) {
        Result r = command("status", "--json");
        assertThat(r.status()).as("status: %s", r.output()).isZero();
        List<Long> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"pid\":(\\d+),\"generation\":\\d+,\"state\":\"" + state + "\"").matcher(r.output());
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    /** Stops with SIGTERM; returns the exit status (fails if the supervisor does not exit in 60 s). */
    int terminate() throws InterruptedException {
        process.toHandle().destroy();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        assertThat(exited).as("supervisor exited; output:\n%s", String.join("\n", output())).isTrue();
        return process.exitValue();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> workers = process.toHandle().descendants().toList();
        process.toHandle().destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                workers.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
