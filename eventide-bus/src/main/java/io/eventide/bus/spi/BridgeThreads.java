package io.eventide.bus.spi;

import io.eventide.bus.BusException;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The threads bridges give their broker clients: one ordered daemon thread per channel, consumer or
 * admin client (DESIGN.md: "one ordered executor per channel / producer / consumer"), blocking calls
 * whose result comes back as a promise on a loop, and a bounded stop for a bridge's own thread.
 *
 * <p><b>Threading:</b> any thread; the executors it makes run their tasks one at a time, in order.
 */
public final class BridgeThreads {
    private BridgeThreads() {
    }

    /** @param name the thread's name @return a single daemon thread running tasks in order */
    public static ExecutorService ordered(String name) {
        return Executors.newSingleThreadExecutor(daemon(name));
    }

    /** @param name the thread's name @return a single daemon thread running tasks in order, and delayed ones */
    public static ScheduledExecutorService orderedScheduled(String name) {
        return Executors.newSingleThreadScheduledExecutor(daemon(name));
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Runs a blocking broker call on {@code executor}; its result settles a promise owned by {@code loop}.
     *
     * @param <T> result type
     * @param executor a bridge's ordered thread
     * @param loop owns the promise
     * @param what what is asked, for the failure's message (e.g. "the depth of jobs on rabbitmq://...")
     * @param work the blocking call
     * @return the result; a failure, or a closed executor, rejects it with a {@link BusException}
     */
    public static <T> Promise<T> call(ExecutorService executor, EventLoop loop, String what, Callable<T> work) {
        Promise<T> p = loop.promise();
        try {
            executor.execute(() -> {
                try {
                    p.resolve(work.call());
                } catch (Exception e) {
                    p.reject(new BusException("cannot read " + what + ": " + e.getMessage(), e));
                }
            });
        } catch (RejectedExecutionException closed) {
            p.reject(new BusException("cannot read " + what + ": the transport is closed"));
        }
        return p;
    }

    /**
     * Lets a bridge's own thread finish its work for up to {@code graceMs}, then interrupts it.
     *
     * @param thread the thread
     * @param terminated completed by the thread as it exits
     * @param graceMs how long it may take
     * @return {@code terminated}
     */
    public static CompletableFuture<Void> stopWithin(Thread thread, CompletableFuture<Void> terminated, long graceMs) {
        Thread.ofVirtual().name(thread.getName() + "-stopper").start(() -> {
            try {
                terminated.get(graceMs, TimeUnit.MILLISECONDS); // blocking-ok: a virtual thread of close()
            } catch (Exception e) {
                thread.interrupt();
            }
        });
        return terminated;
    }
}
