package io.eventide.bus.rabbitmq;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real RabbitMQ on 127.0.0.1:5672 (guest/guest): used when running, started from Debian's
 * package when installed but stopped, else the test fails saying so. {@code rabbitmqctl} drives the
 * broker for the blocked and restart scenarios.
 */
final class RabbitTesting {
    private RabbitTesting() {
    }

    static void ensureBroker() {
        if (listening()) {
            return;
        }
        try {
            run(List.of("rabbitmq-server", "-detached"));
            run(List.of("rabbitmqctl", "wait", "--timeout", "60", "/var/lib/rabbitmq/mnesia/rabbit@localhost.pid"));
        } catch (RuntimeException e) {
            // Fall through to the check below, which names what is missing.
        }
        for (int i = 0; i < 120 && !listening(); i++) {
            pauseMs(500);
        }
        if (!listening()) {
            fail("RabbitMQ is not listening on 127.0.0.1:5672 and could not be started "
                    + "(install Debian's rabbitmq-server and run `rabbitmq-server -detached`)");
        }
    }

    static boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5672), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** @param args a rabbitmqctl command line @return its output */
    static String ctl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
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

    static void pauseMs(long ms) {
        try {
            Thread.sleep(ms); // polling a broker's state from the test thread, not synchronising with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls {@code condition} every 20 ms until true; fails after {@code seconds}. */
    static void await(String what, int seconds, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + seconds + " s waiting for: " + what);
            }
            pauseMs(20);
        }
    }
}
