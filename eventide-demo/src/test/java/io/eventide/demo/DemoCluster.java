package io.eventide.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.cluster.Cluster;
import io.eventide.core.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./eventide demo --cluster} as the launcher starts it: the real supervisor ({@link Cluster})
 * as a process, two demo workers on a free port, run and log directories under a test's temporary
 * directory. Every wait is bounded.
 */
final class DemoCluster implements AutoCloseable {
    private static final String JAVA = ChildJvm.java();
    private static final String CP = ChildJvm.classPath();

    final List<String> lines = new CopyOnWriteArrayList<>();
    final Process process;
    final int port;
    private int readySeen;

    private DemoCluster(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                    System.out.println("[cluster] " + l);
                }
            } catch (IOException e) {
                lines.add("(output closed: " + e + ")");
            }
        });
    }

    static DemoCluster start(Path dir, List<String> workerOptions) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xmx64m", "-cp", CP, Cluster.class.getName(), "start",
                "--name=demo-it-" + port, "--run-dir=" + dir.resolve("run"), "--log-dir=" + dir.resolve("logs"), "-n", "2",
                "--", JAVA, "-XX:+UseParallelGC", "-Deventide.config.port=" + port, "-Deventide.config.host=127.0.0.1"));
        cmd.addAll(workerOptions);
        cmd.addAll(List.of("-cp", CP, Demo.class.getName(), "--cluster"));
        return new DemoCluster(new ProcessBuilder(cmd).redirectErrorStream(true).start(), port);
    }

    /** Waits (at most 120 s) until {@code n} more workers said they are ready. */
    void awaitReady(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (count() < readySeen + n) {
            assertThat(System.nanoTime() < deadline && process.isAlive())
                    .as("%d workers ready within 120 s; output:%n%s", n, String.join("\n", lines)).isTrue();
            TimeUnit.MILLISECONDS.sleep(100); // blocking-ok: polling another process's output, bounded
        }
        readySeen += n;
    }

    private long count() {
        return lines.stream().filter(l -> l.startsWith("eventide cluster: worker ") && l.contains(") ready on port")).count();
    }

    int stop() throws InterruptedException {
        List<ProcessHandle> workers = process.toHandle().descendants().toList();
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            workers.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** @return whether something accepts connections on 127.0.0.1:{@code port} (1 s timeout) */
    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
