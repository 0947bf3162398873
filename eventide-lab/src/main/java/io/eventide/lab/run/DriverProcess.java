package io.eventide.lab.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventide.lab.driver.DriverMain;
import io.eventide.lab.driver.OpenModelDriver;
import io.eventide.lab.driver.OpenModelResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lab's own drivers ({@link DriverMain}) as child processes pinned to the load CPUs: the
 * orchestrator stays light, and the driver's sockets count against the driver's file limit.
 *
 * <p><b>Threading:</b> blocks the calling thread; an {@link IdleSession} is confined to its
 * creator.
 */
public final class DriverProcess {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> JVM_FLAGS = List.of("-XX:+UseParallelGC", "-Xmx1g");

    private DriverProcess() {
    }

    /**
     * Runs the open-model driver in its own process.
     *
     * @param env the machine
     * @param config what to send
     * @return what it measured
     * @throws IOException when the driver fails
     */
    public static OpenModelResult runOpen(Environment env, OpenModelDriver.Config config) throws IOException {
        List<String> cmd = command(env);
        cmd.addAll(DriverMain.openArgs(config));
        Path log = env.scratch().resolve("driver-open.log");
        Process p = new ProcessBuilder(env.pinned(env.loadCpus(), cmd))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long limit = config.warmup().plus(config.duration()).plus(config.drain()).toSeconds() + 90;
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(limit, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the open-model driver did not finish");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("LAB RESULT ")) {
                return JSON.readValue(line.substring("LAB RESULT ".length()), OpenModelResult.class);
            }
        }
        throw new IOException("the open-model driver printed no result (exit " + p.exitValue() + "); see " + log);
    }

    private static List<String> command(Environment env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(env.java().toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-cp", env.classPath(), DriverMain.class.getName()));
        return cmd;
    }

    /**
     * Starts an idle-connection driver against {@code port}.
     *
     * @param env the machine
     * @param port server port
     * @return the session
     * @throws IOException when it cannot be started
     */
    public static IdleSession idle(Environment env, int port) throws IOException {
        List<String> cmd = command(env);
        cmd.addAll(List.of("idle", "127.0.0.1", String.valueOf(port)));
        Path log = env.scratch().resolve("driver-idle.log");
        Process p = new ProcessBuilder(env.pinned(env.loadCpus(), cmd))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new IdleSession(p);
    }

    /**
     * A running idle-connection driver.
     *
     * <p><b>Threading:</b> confined to its creator.
     */
    public static final class IdleSession implements AutoCloseable {
        private final Process process;
        private final PrintWriter in;
        private final BufferedReader out;

        private IdleSession(Process process) {
            this.process = process;
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /**
         * @param total connections to hold
         * @param timeout bound on the step
         * @return connections held
         * @throws IOException when the driver fails
         */
        public int grow(int total, Duration timeout) throws IOException {
            in.println("grow " + total + " " + Math.max(1, timeout.toSeconds()));
            return held();
        }

        /** @return connections the server has not closed @throws IOException when the driver fails */
        public int alive() throws IOException {
            in.println("alive");
            return held();
        }

        private int held() throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("LAB IDLE ")) {
                    return Integer.parseInt(ServerProcess.field(line, "held"));
                }
            }
            throw new IOException("the idle driver exited (status " + (process.isAlive() ? "?" : process.exitValue())
                    + ")");
        }

        /** Closes every connection and stops the driver. */
        @Override
        public void close() {
            in.println("close");
            in.close();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
