package io.eventide.core.internal.io;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The protocol that lets any thread rouse a sleeping loop without a wakeup storm on a busy one,
 * shared by both pollers. Before a blocking poll the loop publishes {@code SLEEPING} and re-checks
 * its task queue ({@link #trySleep}). A producer offers its task, then asks {@link #claimWakeup},
 * which says yes only to the one that flips the state from {@code SLEEPING} to {@code AWAKE}: that
 * one wakes the poll (selector wakeup, eventfd write). Either the loop sees the task in its
 * re-check or the producer sees {@code SLEEPING}: a task is never stranded, and a busy loop costs
 * its producers one volatile read.
 *
 * <p><b>Threading:</b> {@link #trySleep} and {@link #awake} on the loop thread; {@link #claimWakeup}
 * on any thread.
 */
public final class WakeGate {
    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;

    private final AtomicInteger state = new AtomicInteger(AWAKE);
    private final BooleanSupplier hasTasks;

    /** @param hasTasks whether the loop's task queue holds work */
    public WakeGate(BooleanSupplier hasTasks) {
        this.hasTasks = hasTasks;
    }

    /**
     * Publishes {@code SLEEPING}, then re-checks the task queue: a producer that offered before
     * the publication is seen here, one that offers after it sees {@code SLEEPING}.
     *
     * @return true if the loop may block; false (and awake again) if a task is waiting
     */
    public boolean trySleep() {
        state.set(SLEEPING);
        if (hasTasks.getAsBoolean()) {
            state.set(AWAKE);
            return false;
        }
        return true;
    }

    /** The blocking poll has returned. */
    public void awake() {
        state.set(AWAKE);
    }

    /** @return true if the caller must wake the poll: it flipped {@code SLEEPING} to {@code AWAKE} */
    public boolean claimWakeup() {
        // get() first keeps a busy loop's producers from bouncing the cache line with getAndSet.
        return state.get() == SLEEPING && state.getAndSet(AWAKE) == SLEEPING;
    }

    /** @return whether the loop's task queue holds work */
    public boolean hasTasks() {
        return hasTasks.getAsBoolean();
    }

    /**
     * @param timeoutNanos a blocking poll's timeout, negative for none
     * @return it in milliseconds, rounded up and at least 1 (a timer is never woken early); -1 for none
     */
    public static long sleepMillis(long timeoutNanos) {
        return timeoutNanos < 0 ? -1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999));
    }
}
