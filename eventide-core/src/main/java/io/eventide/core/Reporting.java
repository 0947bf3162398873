package io.eventide.core;

import java.lang.System.Logger.Level;

/** Default sinks of {@link LoopOptions}: everything goes to {@link System.Logger} "io.eventide". */
final class Reporting {
    static final System.Logger LOG = System.getLogger("io.eventide");

    private Reporting() {
    }

    static void logBlocked(BlockedLoopReport report) {
        LOG.log(Level.WARNING, report.describe());
    }

    static void logUncaught(Throwable t) {
        LOG.log(Level.ERROR, "A callback threw on " + Thread.currentThread().getName() + "; the loop goes on", t);
    }

    static void logUnhandledRejection(Throwable t) {
        LOG.log(Level.WARNING, "A promise was rejected and nothing handled it (unhandled rejection) on "
                + Thread.currentThread().getName(), t);
    }
}
