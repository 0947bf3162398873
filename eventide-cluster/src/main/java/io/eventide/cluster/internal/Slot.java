package io.eventide.cluster.internal;

import java.time.Duration;

/**
 * One of the N places of the cluster: the worker serving it, the one replacing it (reload, memory
 * limit), and its restart history. A crash restart waits {@code delay × 2^(crashes in a row − 1)},
 * capped; a worker that stays ready for {@link #STABLE_NANOS} clears the count.
 *
 * <p><b>Threading:</b> confined to the supervisor thread.
 */
final class Slot {
    /** Ready this long, a worker counts as stable: its next crash restarts after the first delay again. */
    static final long STABLE_NANOS = 10_000_000_000L;

    final int index;
    Worker current;
    Worker next;
    int restarts;
    int crashesInARow;
    /** Incremented to cancel a scheduled restart. */
    long restartToken;
    boolean restartPending;
    /** A failed memory replacement is not retried before this (System.nanoTime()). */
    long replaceNotBefore;

    Slot(int index) {
        this.index = index;
    }

    /** @return the delay before the next crash restart, counting this crash */
    Duration nextRestartDelay(Duration first, Duration max) {
        crashesInARow++;
        long ms = first.toMillis() << Math.min(20, crashesInARow - 1);
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /** Clears the crash count once the current worker has been ready long enough. */
    void noteStable(long now) {
        if (current != null && current.state == Worker.State.READY && now - current.readyNanos >= STABLE_NANOS) {
            crashesInARow = 0;
        }
    }
}
