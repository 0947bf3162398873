package io.eventide.core.testing;

import io.eventide.core.BlockedLoopReport;
import io.eventide.core.spi.BlockedLoopListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects the blocked-loop reports nobody handled (registered with the service loader as a
 * {@link BlockedLoopListener}), for {@link WatchdogExtension}. Kept apart from the extension so a
 * child JVM without JUnit on its class path can still load it.
 *
 * <p><b>Threading:</b> any thread: reports arrive on watchdog threads, tests drain them.
 */
public final class BlockedReports implements BlockedLoopListener {
    private static final ConcurrentLinkedQueue<BlockedLoopReport> REPORTS = new ConcurrentLinkedQueue<>();

    /** Instantiated by the service loader. */
    public BlockedReports() {
    }

    @Override
    public void blocked(BlockedLoopReport report) {
        REPORTS.add(report);
    }

    /** @return the reports since the last call, removed */
    static List<BlockedLoopReport> drain() {
        List<BlockedLoopReport> got = new ArrayList<>();
        BlockedLoopReport r;
        while ((r = REPORTS.poll()) != null) {
            got.add(r);
        }
        return got;
    }
}
