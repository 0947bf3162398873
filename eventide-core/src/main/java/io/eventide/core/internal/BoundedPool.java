package io.eventide.core.internal;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopClosedException;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of daemon threads for one kind of blocking call (file system, JDK name lookups),
 * kept apart from the offload pool so a burst of one kind cannot starve the others (libuv's single
 * shared pool, node#8436). The queue has a fixed bound: past it, work is refused at once with
 * {@link OverloadException}. Idle threads end after the keep-alive, so a pool nobody closes holds no
 * thread for long.
 *
 * <p><b>Threading:</b> any thread may submit; results settle the promise of the submitting loop.
 */
public final class BoundedPool {
    private final String name;
    private final ThreadPoolExecutor pool;
    private final int threads;
    private final int queueCapacity;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    /**
     * @param name thread name prefix, e.g. {@code "eventide-fs"}
     * @param threads pool size
     * @param queueCapacity bound of the queue
     * @param keepAliveSeconds how long an idle thread lives
     */
    public BoundedPool(String name, int threads, int queueCapacity, long keepAliveSeconds) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException(name + ": threads and queue must be >= 1, got " + threads
                    + " and " + queueCapacity);
        }
        this.name = name;
        this.threads = threads;
        this.queueCapacity = queueCapacity;
        AtomicInteger seq = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, keepAliveSeconds, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, name + "-" + seq.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code work} on a pool thread; the promise settles on {@code loop}.
     *
     * @param <T> result type
     * @param loop owner of the result
     * @param work the blocking call
     * @return its value, what it threw, or {@link OverloadException} when the queue is full
     */
    public <T> Promise<T> submit(EventLoop loop, Callable<T> work) {
        Objects.requireNonNull(work, "work");
        Promise<T> p = loop.promise();
        try {
            pool.execute(() -> run(p, work));
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            p.reject(new OverloadException(pool.isShutdown() ? name + " pool is closed"
                    : name + " queue is full (" + name + "-queue = " + queueCapacity + ")"));
        }
        return p;
    }

    /**
     * Runs {@code task} on a pool thread, for work nobody waits on (a background reload).
     *
     * @param task the blocking work; what it throws is dropped, so it catches its own failures
     * @throws OverloadException when the queue is full
     */
    public void execute(Runnable task) {
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    completed.incrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            throw new OverloadException(name + " queue is full (" + name + "-queue = " + queueCapacity + ")");
        }
    }

    private <T> void run(Promise<T> p, Callable<T> work) {
        T v = null;
        Throwable failure = null;
        try {
            v = work.call();
        } catch (Throwable t) {
            failure = t;
        }
        // Counted before settling: whoever sees the promise settled sees the count include it.
        completed.incrementAndGet();
        try {
            if (failure == null) {
                p.resolve(v);
            } else {
                p.reject(failure);
            }
        } catch (LoopClosedException e) {
            // The caller's loop ended while the call ran: nobody is left to tell.
        }
        if (failure instanceof VirtualMachineError vme) {
            throw vme;
        }
    }

    /** @return the thread name prefix */
    public String name() {
        return name;
    }

    /** @return calls waiting for a thread */
    public int queued() {
        return pool.getQueue().size();
    }

    /** @return calls running now */
    public int active() {
        return pool.getActiveCount();
    }

    /** @return the pool size */
    public int threads() {
        return threads;
    }

    /** @return the queue bound */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** @return calls refused because the queue was full */
    public long rejected() {
        return rejected.get();
    }

    /** @return calls finished, successfully or not */
    public long completed() {
        return completed.get();
    }

    /** Stops taking work; calls already queued still run. Does not wait, so any thread may call it. */
    public void shutdown() {
        pool.shutdown();
    }

    /** @return whether {@link #shutdown()} was called */
    public boolean isShutdown() {
        return pool.isShutdown();
    }
}
