package io.eventide.bus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.BlockedLoopReport;
import io.eventide.core.EventLoop;
import io.eventide.core.Histogram;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test helpers shared by the bus and the bridges: loop groups whose watchdog reports are kept (a
 * test fails if a loop was blocked), unique broker names, and loop-lag readings.
 */
public final class BusTesting {
    private static final ConcurrentHashMap<LoopGroup, List<BlockedLoopReport>> REPORTS = new ConcurrentHashMap<>();

    private BusTesting() {
    }

    /**
     * @param loops how many loops
     * @return a group whose watchdog (threshold 100 ms, the default) records its reports for {@link #assertNoWatchdogReports}
     */
    public static LoopGroup group(int loops) {
        List<BlockedLoopReport> reports = new CopyOnWriteArrayList<>();
        LoopGroup g = LoopGroup.create(LoopOptions.builder().loops(loops).namePrefix("bus-test")
                .blockedThreshold(Duration.ofMillis(100)).lagProbeInterval(Duration.ofMillis(1)).onBlocked(reports::add).build());
        REPORTS.put(g, reports);
        return g;
    }

    /**
     * Fails if the watchdog caught a loop held by the bus, a bridge, a broker client or a handler. A
     * report whose stack holds only the loop's own machinery and the JDK (a timer being recorded, a
     * select returning) is a loop that was not scheduled (a loaded 2-core machine, a GC pause), not
     * one that was blocked: it is printed and not counted. So is a loop caught loading classes (the
     * first request through eventide-http's codec on a cold JVM): a one-time cost of that module's
     * first use, not a call that blocks.
     *
     * @param g a group made by {@link #group}
     */
    public static void assertNoWatchdogReports(LoopGroup g) {
        List<BlockedLoopReport> r = REPORTS.remove(g);
        List<String> blocked = new java.util.ArrayList<>();
        for (BlockedLoopReport x : r == null ? List.<BlockedLoopReport>of() : r) {
            if (java.util.Arrays.stream(x.stack()).allMatch(BusTesting::loopMachinery)) {
                System.out.println("not scheduled (ignored): " + x.describe());
            } else if (x.stack().length > 0 && x.stack()[0].getClassName().equals("java.lang.ClassLoader")
                    && x.stack()[0].getMethodName().startsWith("defineClass")) {
                System.out.println("loading classes (ignored): " + x.describe());
            } else {
                blocked.add(x.describe());
            }
        }
        assertThat(blocked).as("watchdog reports (a loop was blocked)").isEmpty();
    }

    private static boolean loopMachinery(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")
                || (c.startsWith("io.eventide.core.") && !c.contains("$$Lambda"));
    }

    /** @param prefix what it is for @return a name no other test run uses */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @param loops the loops @return the worst loop-lag 99.9th percentile among them, in ms */
    public static double lagP999Millis(List<EventLoop> loops) {
        long worst = 0;
        for (EventLoop l : loops) {
            Histogram h = l.lag();
            worst = Math.max(worst, h.percentile(99.9));
        }
        return worst / 1e6;
    }

    /** @param loops the loops whose lag histograms restart now */
    public static void resetLag(List<EventLoop> loops) {
        for (EventLoop l : loops) {
            l.lag().reset();
        }
    }

    /**
     * Polls {@code condition} every 20 ms until it holds; fails after {@code seconds}. For state
     * outside the test's control (a broker, another process), bounded, never a synchronisation.
     *
     * @param what what is awaited, for the failure
     * @param seconds the bound
     * @param condition the condition
     */
    public static void await(String what, int seconds, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                org.assertj.core.api.Assertions.fail("timed out after " + seconds + " s waiting for: " + what);
            }
            try {
                Thread.sleep(20); // blocking-ok: polling outside state from the test thread, bounded above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /**
     * Runs a command (rabbitmqctl, start-stop-daemon...) and returns its output.
     *
     * @param cmd the command line
     * @return what it printed
     * @throws IllegalStateException if it cannot run, fails or takes more than two minutes
     */
    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param port a local TCP port
     * @return whether something accepts connections on 127.0.0.1:{@code port}
     */
    public static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The target, loop-lag p99.9 under 5 ms while a broker is blocked or unreachable, checked
     * only with {@code -Deventide.bus.strict-lag=true}: lag is a scheduling measurement, and on a
     * shared 2-core machine it measures the other processes. The watchdog check is always on.
     *
     * @param p999Millis the measured p99.9, in ms
     */
    public static void assertLagWithinTarget(double p999Millis) {
        if (Boolean.getBoolean("eventide.bus.strict-lag")) {
            assertThat(p999Millis).as("loop lag p99.9 (ms)").isLessThan(5.0);
        }
    }

    /**
     * One round trip through {@code loop}: returns once the loop has run a task queued now (and
     * everything queued before it). A settled promise's {@code join()} is no round trip: it returns
     * without the loop.
     *
     * @param loop the loop
     */
    public static void roundTrip(EventLoop loop) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        loop.execute(() -> done.complete(null));
        done.join(); // blocking-ok: test thread
    }
}
