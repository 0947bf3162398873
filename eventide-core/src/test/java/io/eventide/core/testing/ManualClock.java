package io.eventide.core.testing;

import io.eventide.core.EventLoop;
import io.eventide.core.NanoClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NanoClock} that moves only when a test says so (mini-redis's {@code time::pause}): timer
 * tests never sleep and never depend on how fast the machine is. Install it with
 * {@code LoopOptions.builder().clock(clock).build()}; move it with {@link #advance(EventLoop, Duration)}.
 *
 * <p>While the clock stands still, every timer scheduled in one callback gets exactly the same
 * deadline, which is how ties are made on purpose.
 *
 * <p><b>Threading:</b> any thread; {@link #advance} must not be called on a loop thread (it waits).
 */
public final class ManualClock implements NanoClock {
    private final AtomicLong now = new AtomicLong(1L << 40);

    /** A clock standing at an arbitrary origin. */
    public ManualClock() {
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /**
     * Moves the clock on by {@code by}, then waits until {@code loop} has run every timer that is
     * due at the new time. How: a task on the loop queues an immediate, which queues another. The
     * task runs in the task phase of some iteration i and its immediate in the immediate phase of i;
     * the second immediate was queued during that phase, so it runs in iteration i + 1, after the
     * timer phase of i + 1, which read the clock after it moved (docs/design/event-loop.md).
     *
     * @param loop a loop of a group created with this clock
     * @param by how far to move
     */
    public void advance(EventLoop loop, Duration by) {
        if (loop.inLoop()) {
            throw new IllegalStateException("advance waits for the loop; call it from the test thread");
        }
        now.addAndGet(by.toNanos());
        CompletableFuture<Void> settled = new CompletableFuture<>();
        loop.execute(() -> loop.setImmediate(() -> loop.setImmediate(() -> settled.complete(null))));
        settled.join();
    }
}
