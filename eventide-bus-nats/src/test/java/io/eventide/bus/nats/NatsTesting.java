package io.eventide.bus.nats;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The real NATS server with JetStream on 127.0.0.1:4222: used when running, else started the way
 * the machine starts it, else the test fails saying so. {@link #restart()} stops the running server
 * by its PID and starts it again with the command line it had, so it is left as it was found.
 */
final class NatsTesting {
    static final List<String> START = List.of("start-stop-daemon", "--start", "--oknodo", "--background", "--exec",
            "/usr/sbin/nats-server", "--", "-a", "127.0.0.1", "-p", "4222", "-js", "-sd", "/var/lib/nats-server",
            "-l", "/var/log/nats-server.log");

    private NatsTesting() {
    }

    static void ensureServer() {
        if (listening()) {
            return;
        }
        try {
            run(START);
        } catch (RuntimeException e) {
            // Reported by the check below.
        }
        await("NATS to listen", 30, NatsTesting::listening);
    }

    static boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 4222), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the PID and command line of the nats-server listening on 4222 */
    static ProcessHandle server() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().command().map(c -> c.endsWith("/nats-server")).orElse(false))
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains("4222")).orElse(false))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no nats-server process listening on 4222"));
        }
    }

    /** Stops the server by PID (SIGTERM: it flushes its store) and starts it again with the same arguments. */
    static void restart() {
        ProcessHandle p = server();
        List<String> cmd = new ArrayList<>(List.of("start-stop-daemon", "--start", "--oknodo", "--background",
                "--exec", p.info().command().orElseThrow(), "--"));
        cmd.addAll(List.of(p.info().arguments().orElseThrow()));
        p.destroy();
        await("nats-server " + p.pid() + " to exit", 60, () -> !p.isAlive());
        run(cmd);
        await("NATS to listen again", 60, NatsTesting::listening);
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + seconds + " s waiting for: " + what
                        + (Files.exists(Path.of("/usr/sbin/nats-server")) ? "" : " (nats-server is not installed)"));
            }
            try {
                Thread.sleep(20); // polling an outside process's state, not synchronising with our own threads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
