package io.eventide.core.net;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.Timer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A connection's idle timeout: one loop timer, re-armed lazily from the time of the last read or
 * write, so traffic costs a clock read and a field write, never timer churn (the way Netty's
 * {@code IdleStateHandler} does it). When the timer fires early (there was activity since it was
 * armed) it re-arms for the rest of the limit; when the connection really was idle that long, it
 * hands {@code onIdle} a {@link DeadlineExceededException} naming the limit.
 *
 * <p><b>Threading:</b> loop-confined, like its connection.
 */
final class IdleTimer {
    private final EventLoop loop;
    private final Consumer<Throwable> onIdle;
    private Duration limit = Duration.ZERO;
    private long lastActivity;
    private Timer timer;

    IdleTimer(EventLoop loop, Consumer<Throwable> onIdle) {
        this.loop = loop;
        this.onIdle = onIdle;
        this.lastActivity = loop.now();
    }

    /** Something was read or written. */
    void touch() {
        lastActivity = loop.now();
    }

    /** @param timeout the new limit, {@link Duration#ZERO} to disable; counts from now */
    void start(Duration timeout) {
        stop();
        limit = timeout;
        if (!timeout.isZero()) {
            lastActivity = loop.now();
            timer = loop.setTimeout(timeout, this::check);
        }
    }

    void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void check() {
        timer = null;
        long idleFor = loop.now() - lastActivity;
        long limitNanos = limit.toNanos();
        if (idleFor >= limitNanos) {
            onIdle.accept(new DeadlineExceededException("idle for more than " + limit.toMillis()
                    + " ms (idle-timeout)"));
        } else {
            timer = loop.setTimeout(Duration.ofNanos(limitNanos - idleFor), this::check);
        }
    }
}
