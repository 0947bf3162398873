package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.testing.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9, defect 8: a hosted app that cannot start says so in one line and exits non-zero. Before,
 * a port in use printed a stack trace and the process never exited (its loop threads are not
 * daemons), and {@code PORT=abc} printed a NumberFormatException's stack trace.
 */
@Timeout(120)
class StartupFailureIT {
    private record Outcome(int exit, List<String> lines) {
    }

    private static Outcome run(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(), HostedApp.class.getName())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("EVENTIDE_") || k.equals("PORT") || k.equals("HOST"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            // A process that does not exit is the defect: bounded wait, then the test fails.
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(exited).as("the app exited by itself within 60 s; output:%n%s", out).isTrue();
            return new Outcome(p.exitValue(), out.lines().toList());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aPortThatIsNotANumberIsOneLineAndStatusTwo() throws Exception {
        Outcome o = run(Map.of("PORT", "abc"));
        assertThat(o.lines()).containsExactly("eventide: port (from environment PORT) must be 0..65535, got 'abc'");
        assertThat(o.exit()).isEqualTo(2);
    }

    @Test
    void aPortOutOfRangeIsOneLineAndStatusTwo() throws Exception {
        Outcome o = run(Map.of("PORT", "99999"));
        assertThat(o.lines()).containsExactly("eventide: port (from environment PORT) must be 0..65535, got '99999'");
        assertThat(o.exit()).isEqualTo(2);
    }

    @Test
    void anUnknownVariableListsTheValidKeys() throws Exception {
        Outcome o = run(Map.of("EVENTIDE_LOOP", "2"));
        assertThat(o.lines()).hasSize(1);
        assertThat(o.lines().get(0)).startsWith("eventide: unknown configuration variable EVENTIDE_LOOP").contains("loops");
        assertThat(o.exit()).isEqualTo(2);
    }

    @Test
    void aPortInUseIsOneLineAndStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Outcome o = run(Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1"));
            assertThat(o.lines()).hasSize(1);
            assertThat(o.lines().get(0)).startsWith("eventide: cannot listen on 127.0.0.1:" + port + ": ")
                    .containsIgnoringCase("address already in use");
            assertThat(o.exit()).isEqualTo(1);
        } catch (IOException e) {
            throw new AssertionError("could not take a port for the test", e);
        }
    }
}
