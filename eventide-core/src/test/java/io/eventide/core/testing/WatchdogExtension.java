package io.eventide.core.testing;

import io.eventide.core.BlockedLoopReport;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which a loop was reported blocked, the way Vert.x tests fail on a
 * {@code BlockedThreadChecker} warning: a loop blocked past its threshold is a bug in the test or
 * in the code under test, and a warning in a log nobody reads hides it.
 *
 * <p>It counts the reports that went to the default sink only (those nobody handled): a test that
 * blocks a loop on purpose installs its own {@code onBlocked} sink and asserts on it. The JDK's
 * {@link java.util.ServiceLoader} hands them to {@link BlockedReports} (registered as a
 * {@code BlockedLoopListener} in the test resources), and JUnit's extension autodetection runs it
 * around every test of the module. Groups with default options get a 2 s threshold in tests
 * ({@code eventide.core.blocked-threshold-ms} overrides it), Vert.x's own: long enough that a busy
 * shared machine does not fail a test, short enough that real blocking does.
 *
 * <p><b>Threading:</b> reports arrive on watchdog threads; the callbacks run on the test thread.
 */
public final class WatchdogExtension implements BeforeEachCallback, AfterEachCallback {
    /** Threshold of groups with default options in tests, unless set on the command line. */
    static final String TEST_THRESHOLD_MS = "2000";

    static {
        // The machines that run the suite are small and shared (2 cores, load averages of 15-20
        // seen): a loop thread can lose the CPU, or load classes on first use, for hundreds of
        // milliseconds without any fault of the code. Two seconds is Vert.x's own event-loop
        // warning threshold; a real block in a test (a join, a sleep, a deadlock) lasts longer.
        if (System.getProperty("eventide.core.blocked-threshold-ms") == null) {
            System.setProperty("eventide.core.blocked-threshold-ms", TEST_THRESHOLD_MS);
        }
    }

    /** Instantiated by JUnit's extension autodetection. */
    public WatchdogExtension() {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        BlockedReports.drain();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check();
    }

    /** @throws AssertionError naming every loop reported blocked since the last check */
    public static void check() {
        List<BlockedLoopReport> got = BlockedReports.drain();
        if (!got.isEmpty()) {
            StringBuilder sb = new StringBuilder("the watchdog reported " + got.size() + " blocked loop(s):");
            for (BlockedLoopReport b : got) {
                sb.append("\n").append(b.describe());
            }
            throw new AssertionError(sb.toString());
        }
    }
}
