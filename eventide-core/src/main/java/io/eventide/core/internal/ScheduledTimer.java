package io.eventide.core.internal;

import io.eventide.core.Timer;
import java.util.concurrent.Executor;

/**
 * A timer entry in a {@link TimerQueue}: deadline, insertion order (ties fire in order of
 * scheduling), optional period, and the task.
 *
 * <p><b>Threading:</b> loop-confined, except {@link #cancel()} which hops to the loop.
 */
public final class ScheduledTimer implements Timer {
    private final Thread owner;
    private final Executor hop;
    private final Runnable task;
    private final long periodNanos;
    private long deadline;
    private long seq;
    private boolean cancelled;
    private boolean queued;
    private TimerQueue queue;

    /**
     * @param owner the owning loop's thread: the only one that touches the queue
     * @param hop runs a task on that thread ({@link #cancel()} from elsewhere hops through it)
     * @param task what to run
     * @param deadline first deadline, in the loop clock's nanoseconds
     * @param periodNanos repeat period, or 0 for a one-shot timer
     */
    public ScheduledTimer(Thread owner, Executor hop, Runnable task, long deadline, long periodNanos) {
        this.owner = owner;
        this.hop = hop;
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
     * Moves the deadline one period on. On time, from the previous deadline (no drift); late by a
     * period or more, from the firing time, like Node's setInterval: the next run is one period
     * after the late one, never a burst of catch-up runs.
     *
     * @param now the time the timer fired
     */
    public void advance(long now) {
        deadline += periodNanos;
        if (deadline - now <= 0) {
            deadline = now + periodNanos;
        }
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
        if (Thread.currentThread() != owner) {
            hop.execute(this::cancel);
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
