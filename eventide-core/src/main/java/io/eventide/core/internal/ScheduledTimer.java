package io.eventide.core.internal;

import io.eventide.core.EventLoop;
import io.eventide.core.Timer;

/**
 * A timer entry in a {@link TimerQueue}: deadline, insertion order (ties fire in order of
 * scheduling), optional period, and the task.
 *
 * <p><b>Threading:</b> loop-confined, except {@link #cancel()} which hops to the loop.
 */
public final class ScheduledTimer implements Timer {
    private final EventLoop loop;
    private final Runnable task;
    private final long periodNanos;
    private long deadline;
    private long seq;
    private boolean cancelled;
    private boolean queued;
    private TimerQueue queue;

    /**
     * @param loop owning loop
     * @param task what to run
     * @param deadline first deadline, in {@link System#nanoTime()} units
     * @param periodNanos repeat period, or 0 for a one-shot timer
     */
    public ScheduledTimer(EventLoop loop, Runnable task, long deadline, long periodNanos) {
        this.loop = loop;
        this.task = task;
        this.deadline = deadline;
        this.periodNanos = periodNanos;
    }

    /** @return the task to run */
    public Runnable task() {
        return task;
    }

    /** @return the deadline in nano time */
    public long deadline() {
        return deadline;
    }

    /** @return whether this timer repeats */
    public boolean periodic() {
        return periodNanos > 0;
    }

    /**
     * Moves the deadline one period on, from the firing time (like Node's setInterval: a late
     * firing does not cause a burst of catch-up runs).
     *
     * @param now the time the timer fired
     */
    public void advance(long now) {
        deadline = Math.max(deadline + periodNanos, now + 1);
    }

    void enqueued(TimerQueue q, long sequence) {
        this.queue = q;
        this.seq = sequence;
        this.queued = true;
    }

    void dequeued() {
        this.queued = false;
    }

    long seq() {
        return seq;
    }

    @Override
    public void cancel() {
        if (!loop.inLoop()) {
            loop.execute(this::cancel);
            return;
        }
        if (cancelled) {
            return;
        }
        cancelled = true;
        if (queued) {
            queue.cancelled();
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public String toString() {
        return "Timer[" + (cancelled ? "cancelled" : queued ? "pending" : "idle") + ", task=" + task + "]";
    }
}
