package io.eventide.bus.spi;

import io.eventide.core.OverloadException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound every bridge keeps on sends accepted and not yet confirmed by its broker. Past it a send
 * is refused at once: the caller learns of the overload (and can answer 503, or slow down) instead
 * of the process queueing without bound while the broker is slow, blocked or away.
 *
 * <p>Refusals are the hot path of an overload (a burst meets a full window thousands of times a
 * second), so they cost one failed atomic increment and no allocation: the refusal exceptions are
 * made once per window and shared. Their stack trace is the first refusal's, which is all a
 * refusal's stack can say anyway.
 *
 * <p><b>Threading:</b> any thread; the count is atomic.
 */
public final class SendWindow {
    private final int max;
    private final AtomicInteger pending = new AtomicInteger();
    private final OverloadException full;
    private final OverloadException fullUnreachable;

    /**
     * @param broker the broker's name, for the refusal's message
     * @param max sends accepted and not yet confirmed, at most
     */
    public SendWindow(String broker, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1: " + max);
        }
        this.max = max;
        String m = broker + " sends pending confirmation reached maxPendingSends (" + max + ")";
        this.full = new OverloadException(m);
        this.fullUnreachable = new OverloadException(m + "; the broker is unreachable");
    }

    /**
     * @param reachable whether the broker is connected now (only for the refusal's message)
     * @return null when the send may go (then {@link #release()} it once confirmed or failed), else
     *     the refusal to fail it with
     */
    public OverloadException tryAcquire(boolean reachable) {
        if (pending.incrementAndGet() > max) {
            pending.decrementAndGet();
            return reachable ? full : fullUnreachable;
        }
        return null;
    }

    /** Gives back one send's place. */
    public void release() {
        pending.decrementAndGet();
    }

    /** @return sends accepted and not yet confirmed */
    public int pending() {
        return pending.get();
    }
}
