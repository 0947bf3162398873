package io.eventide.core;

/**
 * Handle of a timer scheduled with {@link EventLoop#setTimeout}, {@link EventLoop#setInterval} or
 * {@link EventLoop#setImmediate}; cancel it to stop it from firing (again).
 *
 * <p><b>Threading:</b> any thread. Cancelling on the owning loop takes effect at once and costs
 * O(1); from another thread the cancel is handed to the loop with {@link EventLoop#execute}, so
 * a firing already under way on the loop may still happen.
 */
public interface Timer {

    /** Stops the timer; does nothing if it already fired (timeouts) or was cancelled. */
    void cancel();

    /** @return whether {@link #cancel()} took effect */
    boolean isCancelled();
}
