package io.eventide.demo;

import io.eventide.bus.Bus;
import io.eventide.bus.WorkQueue;
import io.eventide.bus.http.JobRoutes;
import io.eventide.core.EventLoop;
import io.eventide.http.HttpServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load-levelling panel's server side: {@code POST /demo/jobs} enqueues a job on the broker
 * ({@link JobRoutes}: 202 once the broker confirmed it, 503 + Retry-After past {@value #MAX_BACKLOG}
 * waiting jobs, before the body is read), and every worker takes {@value #CREDIT} jobs at a time,
 * each {@value #JOB_MS} ms of work on a worker thread. A burst is accepted up to the bound, drained
 * at the workers' pace, and the rest is refused up front instead of queueing without end.
 *
 * <p><b>Threading:</b> built on main at startup; jobs are taken on one loop and worked on the
 * loop's workers; the counters are atomic.
 */
final class Jobs {
    static final int MAX_BACKLOG = 100;
    static final int CREDIT = 2;
    static final long JOB_MS = 150;
    private final WorkQueue queue;
    private final AtomicLong done = new AtomicLong();

    Jobs(Bus bus, Services services, HttpServer app, EventLoop loop) {
        this.queue = WorkQueue.create(bus, services.address("jobs"), MAX_BACKLOG, Duration.ofSeconds(1));
        JobRoutes.mount(app, "/demo/jobs", queue);
        queue.work(loop, CREDIT, job -> loop.offload(() -> {
            Thread.sleep(JOB_MS); // blocking-ok: the "work" of a job, run on a worker thread, never on the loop
            return done.incrementAndGet();
        }));
    }

    /** @return the queue's address on the bus */
    String address() {
        return queue.address();
    }

    /** @return this worker's figures as JSON fields, each followed by a comma */
    String fields() {
        return "\"backlog\":" + Math.max(0, queue.backlog()) + ",\"jobsDone\":" + done.get() + ",";
    }
}
