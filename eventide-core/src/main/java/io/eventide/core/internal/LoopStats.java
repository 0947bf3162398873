package io.eventide.core.internal;

import io.eventide.core.Histogram;

/**
 * What one loop publishes about itself: callbacks run, the name of the one running now, time idle
 * in select, and loop lag (how late due timers ran). The loop thread is the only writer; the
 * watchdog and metric readers on other threads only read.
 *
 * <p>Activity and the current label are the watchdog's view: {@link #enter} bumps a volatile counter
 * before every callback, and the watchdog reports a loop whose counter stood still, while not
 * idle, past its threshold. The loop pays one volatile write per callback and reads no clock for
 * it.
 *
 * <p><b>Threading:</b> written by the owning loop only (methods marked loop thread); every reader
 * may be called from any thread.
 */
public final class LoopStats {
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final Histogram lag = new Histogram();
    private final long startNanos = System.nanoTime();
    private volatile long activity;
    private volatile long tasksRun;
    // Plain, not volatile: written before the volatile 'activity' in enter(), and the watchdog reads
    // 'activity' before it, so it sees a label at least as fresh as the activity it acts on.
    private Object current;
    private volatile boolean idle;
    private volatile long idleNanos;
    private long idleStart;
    // Lag right now: the max over the current and the previous one-second window (admission control).
    private volatile long lagWindowMax;
    private volatile long lagPrevWindowMax;
    private long lagWindowStart = Long.MIN_VALUE;

    /**
     * A callback is about to run: names it for the watchdog. Loop thread.
     *
     * @param handler what runs; its {@code toString} is read only if a report is made
     */
    public void enter(Object handler) {
        current = handler;
        activity = activity + 1; // single writer: the loop thread
        tasksRun = tasksRun + 1;
    }

    /** @param label renames the callback now running (see {@code EventLoop.labelCurrent}). Loop thread. */
    public void label(Object label) {
        current = label;
    }

    /** The callback and the microtasks it queued are done. Loop thread. */
    public void exit() {
        current = null;
    }

    /** The loop is about to sleep in select. Loop thread. */
    public void idleStart() {
        idleStart = System.nanoTime();
        idle = true;
    }

    /**
     * The loop woke up, or its first ready key is being dispatched (keys are dispatched from inside
     * {@code Selector.select}, and time spent in handlers is busy time). Idempotent. Loop thread.
     */
    public void idleEnd() {
        if (idle) {
            idle = false;
            idleNanos += System.nanoTime() - idleStart;
        }
    }

    /**
     * Samples loop lag: how overdue the earliest timer is. Loop thread.
     *
     * @param now the loop clock's reading
     * @param nextDeadline the earliest timer's deadline, {@link Long#MAX_VALUE} when none
     */
    public void sampleLag(long now, long nextDeadline) {
        long l = nextDeadline == Long.MAX_VALUE ? 0 : Math.max(0, now - nextDeadline);
        if (lagWindowStart == Long.MIN_VALUE || now - lagWindowStart >= WINDOW_NANOS) {
            lagPrevWindowMax = lagWindowMax;
            lagWindowMax = l;
            lagWindowStart = now;
        } else if (l > lagWindowMax) {
            lagWindowMax = l;
        }
    }

    /** @param nanos how late one timer ran. Loop thread. */
    public void recordTimerLag(long nanos) {
        lag.record(nanos);
    }

    /** @return the timer lag histogram */
    public Histogram lag() {
        return lag;
    }

    /** @return the largest lag seen in the last one to two seconds, in nanoseconds */
    public long recentLag() {
        return Math.max(lagWindowMax, lagPrevWindowMax);
    }

    /** @return the activity counter: changes before every callback */
    public long activity() {
        return activity;
    }

    /** @return callbacks run so far */
    public long tasksRun() {
        return tasksRun;
    }

    /** @return the label of the callback running now, or null between callbacks */
    public Object current() {
        return current;
    }

    /** @return whether the loop is sleeping in select */
    public boolean isIdle() {
        return idle;
    }

    /** @return nanoseconds spent sleeping in select */
    public long idleNanos() {
        return idleNanos;
    }

    /** @return nanoseconds since the loop was created */
    public long uptimeNanos() {
        return System.nanoTime() - startNanos;
    }
}
