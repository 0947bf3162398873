package io.eventide.bus.nats;

import io.eventide.bus.testing.BusTesting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        return BusTesting.listening(4222);
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
        return BusTesting.run(cmd);
    }

    static void await(String what, int seconds, BooleanSupplier condition) {
        BusTesting.await(what + (Files.exists(Path.of("/usr/sbin/nats-server")) ? "" : " (nats-server is not installed)"),
                seconds, condition);
    }
}
