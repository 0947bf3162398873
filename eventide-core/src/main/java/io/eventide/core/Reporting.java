package io.eventide.core;

import io.eventide.core.spi.BlockedLoopListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Default sinks of {@link LoopOptions}: everything goes to {@link System.Logger} "io.eventide". */
final class Reporting {
    static final System.Logger LOG = System.getLogger("io.eventide");

    private Reporting() {
    }

    static void logBlocked(BlockedLoopReport report) {
        LOG.log(Level.WARNING, report.describe());
        for (BlockedLoopListener l : Listeners.ALL) {
            try {
                l.blocked(report);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "blocked-loop listener " + l + " threw", e);
            }
        }
    }

    static void logUncaught(Throwable t) {
        LOG.log(Level.ERROR, "A callback threw on " + Thread.currentThread().getName() + "; the loop goes on", t);
    }

    static void logUnhandledRejection(Throwable t) {
        LOG.log(Level.WARNING, "A promise was rejected and nothing handled it (unhandled rejection) on "
                + Thread.currentThread().getName(), t);
    }

    /** The {@link BlockedLoopListener}s on the class or module path, looked up at the first report. */
    private static final class Listeners {
        static final List<BlockedLoopListener> ALL = load();

        private static List<BlockedLoopListener> load() {
            List<BlockedLoopListener> out = new ArrayList<>();
            Iterator<BlockedLoopListener> it = ServiceLoader.load(BlockedLoopListener.class).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        return List.copyOf(out);
                    }
                    out.add(it.next());
                } catch (ServiceConfigurationError | LinkageError e) {
                    // A listener that cannot load must not take the watchdog (or a loop) down with it.
                    LOG.log(Level.WARNING, "skipping a blocked-loop listener that cannot be loaded: " + e);
                }
            }
        }
    }
}
