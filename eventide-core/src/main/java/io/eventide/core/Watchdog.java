package io.eventide.core;

import io.eventide.core.internal.LoopStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the loops of a group from its own daemon thread. Every callback a loop runs bumps the
 * loop's activity counter; if the watchdog sees the same counter, with the loop not sleeping in
 * select, for longer than the threshold, one callback has held the loop that long: it captures the
 * loop thread's stack and reports it once, with the handler's name. The loop itself pays one
 * volatile write per callback and never reads a clock for this.
 *
 * <p><b>Threading:</b> runs on its own thread; loops only publish, it only reads.
 */
final class Watchdog implements Runnable {
    private final List<EventLoop> loops;
    private final long thresholdNanos;
    private final long periodNanos;
    private final long[] lastActivity;
    private final long[] since;
    private final long[] reported;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long reports;

    Watchdog(List<EventLoop> loops, Duration threshold, String name) {
        this.loops = loops;
        this.thresholdNanos = threshold.toNanos();
        // Sample four times per threshold: a block is reported at most 25% later than the threshold.
        this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(2), thresholdNanos / 4);
        this.lastActivity = new long[loops.size()];
        this.since = new long[loops.size()];
        this.reported = new long[loops.size()];
        java.util.Arrays.fill(reported, -1);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        stopped = true;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(5)); // blocking-ok: eventide-closer thread
    }

    long reports() {
        return reports;
    }

    @Override
    public void run() {
        while (!stopped) {
            LockSupport.parkNanos(periodNanos);
            long now = System.nanoTime();
            for (int i = 0; i < loops.size(); i++) {
                check(i, loops.get(i), now);
            }
        }
    }

    private void check(int i, EventLoop loop, long now) {
        LoopStats stats = loop.stats();
        long a = stats.activity();
        if (stats.isIdle() || a != lastActivity[i]) {
            lastActivity[i] = a;
            since[i] = now;
            return;
        }
        long blocked = now - since[i];
        if (blocked < thresholdNanos || reported[i] == a) {
            return;
        }
        Object handler = stats.current();
        StackTraceElement[] stack = loop.thread().getStackTrace();
        if (stats.activity() != a) {
            return; // it moved on while we looked; the stack would be someone else's
        }
        reported[i] = a;
        reports = reports + 1;
        BlockedLoopReport r = new BlockedLoopReport(loop.name(), describe(handler), Duration.ofNanos(blocked), stack);
        try {
            loop.group().options().onBlocked().accept(r);
        } catch (RuntimeException e) {
            Reporting.LOG.log(System.Logger.Level.ERROR, "the onBlocked sink threw", e);
        }
    }

    /** A readable name: explicit names as given, lambdas as their defining class. */
    static String describe(Object handler) {
        if (handler == null) {
            return "(loop internals)";
        }
        if (handler instanceof io.eventide.core.spi.IoHandler h) {
            return h.handlerName();
        }
        String s = handler.toString();
        int lambda = s.indexOf("$$Lambda");
        if (lambda > 0) {
            return s.substring(0, lambda) + " (lambda)";
        }
        return s;
    }
}
