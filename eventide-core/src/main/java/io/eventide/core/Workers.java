package io.eventide.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of worker threads for blocking and CPU-heavy work ({@link EventLoop#offload}).
 * The queue has a fixed capacity: when it is full, new work is refused at once with an
 * {@link OverloadException} in the returned promise, so overload shows up as errors the caller can
 * turn into 503s, not as memory growth and ever-rising latency.
 *
 * <p><b>Threading:</b> any thread may submit; results are delivered on the submitting loop.
 */
public final class Workers {
    private final ThreadPoolExecutor pool;
    private final int queueCapacity;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    Workers(String namePrefix, int threadCount, int queueCapacity) {
        this.queueCapacity = queueCapacity;
        AtomicInteger seq = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threadCount, threadCount, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, namePrefix + "-" + seq.incrementAndGet());
                    t.setDaemon(true);
                    threads.add(t);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code work} on a worker and settles the promise on {@code loop}.
     *
     * @param <T> result type
     * @param loop where the result is delivered
     * @param work the blocking or CPU-heavy work
     * @return its result, or a rejection with what it threw, or with {@link OverloadException}
     */
    public <T> Promise<T> submit(EventLoop loop, Callable<T> work) {
        Objects.requireNonNull(work, "work");
        Promise<T> p = new Promise<>(loop);
        try {
            pool.execute(() -> {
                try {
                    p.resolve(work.call());
                } catch (Throwable t) {
                    if (t instanceof VirtualMachineError vme) {
                        p.reject(t);
                        throw vme;
                    }
                    p.reject(t);
                } finally {
                    completed.incrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            p.reject(new OverloadException(pool.isShutdown() ? "worker pool is shut down"
                    : "worker queue is full (worker-queue = " + queueCapacity + ")"));
        }
        return p;
    }

    /** @return tasks waiting for a worker */
    public int queued() {
        return pool.getQueue().size();
    }

    /** @return tasks running now */
    public int active() {
        return pool.getActiveCount();
    }

    /** @return submissions refused because the queue was full */
    public long rejected() {
        return rejected.get();
    }

    /** @return tasks finished (successfully or not) */
    public long completed() {
        return completed.get();
    }

    /** @return the queue bound */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** Stops taking work, waits up to {@code nanos} for running work, then interrupts and joins. */
    void shutdown(long nanos) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(nanos, TimeUnit.NANOSECONDS)) { // blocking-ok: eventide-closer thread
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS); // blocking-ok: eventide-closer thread
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(5)); // blocking-ok: eventide-closer thread
        }
    }
}
