package io.eventide.core;

import io.eventide.core.internal.LoopStats;
import io.eventide.core.internal.io.NioPoller;
import io.eventide.core.internal.io.Poller;
import io.eventide.core.internal.io.Transports;
import io.eventide.core.internal.ScheduledTimer;
import io.eventide.core.internal.TimerQueue;
import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One event loop: one thread, one poller (the JDK {@link java.nio.channels.Selector} or epoll, see
 * {@link Transport}), a task queue any thread may feed, timers, immediates and the microtask queue
 * that promise reactions run from. Everything registered on a loop (connections, timers, promises)
 * belongs to it for life, and its callbacks run on its thread one at a time, in order. See {@code docs/design/event-loop.md} for the phases of one iteration:
 *
 * <pre>
 *   ┌─► poll I/O (timeout = 0 if work is queued, else until the next timer) ─► I/O callbacks
 *   │   due timers ─► tasks from {@link #execute} (bounded batch) ─► immediates
 *   └── after every callback: drain microtasks, then report unhandled rejections
 * </pre>
 *
 * <p>Code on a loop never blocks. Blocking or CPU-heavy work goes to {@link #offload}; a task that
 * holds the loop past the group's threshold is reported by the watchdog with the handler's name.
 *
 * <p><b>Threading:</b> {@link #execute}, {@link #inLoop}, {@link #offload}, the timer methods and
 * the metric readers may be called from any thread (timer methods called elsewhere hop to the loop).
 * Methods marked loop-confined ({@link #register}, {@link #queueMicrotask}, {@link #buffers},
 * {@link #readBuffer}, {@link #onShutdown}) must be called on this loop's thread.
 */
public final class EventLoop implements Executor {
    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int TERMINATED = 2;
    /** Tasks run per iteration before I/O gets its turn again (fairness between queue and sockets). */
    private static final int TASK_BUDGET = 1024;
    /** While closing, the drain condition is looked at at least this often. */
    private static final long CLOSING_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Size of the per-loop direct buffer every socket read on this loop goes through. */
    public static final int READ_BUFFER_SIZE = 64 * 1024;

    private final LoopGroup group;
    private final String name;
    private final Thread thread;
    private final NanoClock clock;
    private final LoopStats stats = new LoopStats();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Poller poller;
    private final ArrayDeque<Runnable> immediates = new ArrayDeque<>();
    private final ArrayDeque<Runnable> microtasks = new ArrayDeque<>();
    private final ArrayList<Promise<?>> pendingRejections = new ArrayList<>();
    private final TimerQueue timers = new TimerQueue();
    private final BufferPool buffers = new BufferPool(BufferPool.DEFAULT_CHUNK_SIZE, BufferPool.DEFAULT_MAX_POOLED);
    private final BufferPool largeBuffers = new BufferPool(BufferPool.LARGE_CHUNK_SIZE, BufferPool.LARGE_MAX_POOLED);
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final List<Runnable> shutdownHooks = new ArrayList<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile int state = RUNNING;
    private long closeDeadline;
    /** Whether the client connections left at a graceful close were asked to finish. */
    private boolean clientsAsked;
    // Written by the loop thread as it terminates; read after terminationFuture() completed.
    private volatile int abandonedChannels;

    static {
        // This module's transports (TCP, DNS) open and register their sockets with the loop's poller,
        // an internal type that the public API does not show.
        Transports.grantPollerAccess(loop -> loop.poller);
    }

    EventLoop(LoopGroup group, String name) {
        this.group = group;
        this.name = name;
        this.clock = group.options().clock();
        this.poller = Transports.newPoller(group.options().transport(), name, stats, () -> !tasks.isEmpty(),
                this::dispatch);
        this.thread = new LoopThread(this);
    }

    void start() {
        thread.start();
        Duration probe = group.options().lagProbeInterval();
        if (!probe.isZero()) {
            // The probe keeps lag measured on a loop whose own timers are rare; firing records lag.
            setInterval(probe, () -> { });
        }
    }

    /**
     * @return the loop whose thread is calling, or {@code null} when called from any other thread
     */
    public static EventLoop current() {
        return Thread.currentThread() instanceof LoopThread lt ? lt.loop : null;
    }

    /** @return this loop's thread name */
    public String name() {
        return name;
    }

    /** @return the group this loop belongs to */
    public LoopGroup group() {
        return group;
    }

    /** @return whether the calling thread is this loop's thread */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** @return whether the group started a graceful close of this loop */
    public boolean isClosing() {
        return state != RUNNING;
    }

    /**
     * The loop's time, from the group's {@link NanoClock} (the system's monotonic clock unless a test
     * installed another): what timers, lag and idle timeouts are measured with. Any thread.
     *
     * @return nanoseconds from an arbitrary origin
     */
    public long now() {
        return clock.nanoTime();
    }

    Thread thread() {
        return thread;
    }

    // ------------------------------------------------------------------------------------------
    // Entry points from any thread

    /**
     * Runs {@code task} on this loop, after the tasks already queued. Callable from any thread; the
     * only way into a loop from outside. Wakes the loop only if it is sleeping in select, so a busy
     * loop fed by many threads sees no wakeup storm.
     *
     * @param task what to run
     * @throws LoopClosedException when the loop has terminated
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state == TERMINATED) {
            throw new LoopClosedException("loop " + name + " has terminated; task refused: " + task);
        }
        tasks.offer(task);
        if (!inLoop()) {
            poller.wakeup();
        }
        if (state == TERMINATED && tasks.remove(task)) {
            throw new LoopClosedException("loop " + name + " has terminated; task refused: " + task);
        }
    }

    /**
     * Like {@link #execute(Runnable)}, with a name the watchdog reports if the task blocks the loop.
     *
     * @param handlerName name of the handler, e.g. {@code "GET /report"}
     * @param task what to run
     */
    public void execute(String handlerName, Runnable task) {
        execute(new NamedTask(handlerName, task));
    }

    /**
     * Runs {@code task} once after {@code delay} (like Node's {@code setTimeout}). Delays below one
     * millisecond are raised to one, as Node does, so a zero timeout still lets I/O run first.
     *
     * @param delay how long to wait
     * @param task what to run, on this loop
     * @return a handle to cancel it
     */
    public Timer setTimeout(Duration delay, Runnable task) {
        return schedule(delay, 0, task);
    }

    /**
     * @param delayMillis how long to wait, in milliseconds
     * @param task what to run, on this loop
     * @return a handle to cancel it
     * @see #setTimeout(Duration, Runnable)
     */
    public Timer setTimeout(long delayMillis, Runnable task) {
        return schedule(Duration.ofMillis(delayMillis), 0, task);
    }

    /**
     * Runs {@code task} every {@code period} until cancelled (like Node's {@code setInterval}). A late
     * run does not cause catch-up bursts: the next run is one period after the late one.
     *
     * @param period time between runs, at least one millisecond
     * @param task what to run, on this loop
     * @return a handle to cancel it
     */
    public Timer setInterval(Duration period, Runnable task) {
        long p = Math.max(TimeUnit.MILLISECONDS.toNanos(1), period.toNanos());
        return schedule(period, p, task);
    }

    private Timer schedule(Duration delay, long periodNanos, Runnable task) {
        Objects.requireNonNull(task, "task");
        long d = Math.max(TimeUnit.MILLISECONDS.toNanos(1), delay.toNanos());
        ScheduledTimer t = new ScheduledTimer(thread, this, task, now() + d, periodNanos);
        if (inLoop()) {
            timers.add(t);
        } else {
            execute(() -> {
                if (!t.isCancelled()) {
                    timers.add(t);
                }
            });
        }
        return t;
    }

    /**
     * Runs {@code task} in the immediate phase of this or the next iteration, after pending I/O
     * callbacks (like Node's {@code setImmediate}).
     *
     * @param task what to run, on this loop
     * @return a handle to cancel it
     */
    public Timer setImmediate(Runnable task) {
        Objects.requireNonNull(task, "task");
        ImmediateTask im = new ImmediateTask(task);
        if (inLoop()) {
            immediates.add(im);
        } else {
            execute(() -> immediates.add(im));
        }
        return im;
    }

    /** @param <T> value type @return a new pending promise owned by this loop */
    public <T> Promise<T> promise() {
        return new Promise<>(this);
    }

    /**
     * Runs blocking or CPU-heavy {@code work} on the group's bounded worker pool. The promise
     * completes on this loop. When the worker queue is full it fails at once with
     * {@link OverloadException} instead of queueing without bound.
     *
     * @param <T> result type
     * @param work what to run on a worker thread
     * @return the result, delivered on this loop
     */
    public <T> Promise<T> offload(Callable<T> work) {
        return group.workers().submit(this, work);
    }

    // ------------------------------------------------------------------------------------------
    // Loop-confined SPI

    /**
     * Queues {@code task} to run on this loop right after the current callback, before any I/O,
     * timer or task (like Node's {@code queueMicrotask}). Promise reactions run from here.
     * Loop-confined.
     *
     * @param task what to run
     */
    public void queueMicrotask(Runnable task) {
        assert inLoop() : "queueMicrotask called off loop " + name;
        microtasks.add(task);
    }

    /**
     * Registers a JDK channel with this loop's selector (NIO transport only). Loop-confined; for transports.
     *
     * @param channel a channel, switched to non-blocking mode here
     * @param ops interest set
     * @param handler called when the channel is ready
     * @return the selection key
     * @throws IOException if the channel cannot be registered
     */
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws IOException {
        checkInLoop();
        if (!(poller instanceof NioPoller nio)) {
            throw new UnsupportedOperationException("loop " + name + " runs the " + group.options().transport()
                    + " transport, which has no selector to register a JDK channel with");
        }
        return nio.register(channel, ops, handler);
    }



    /** @return the transport this loop's poller runs ({@link LoopOptions#transport()}). Any thread. */
    public Transport transport() {
        return poller instanceof NioPoller ? Transport.NIO : Transport.EPOLL;
    }

    /** @return this loop's buffer pool. Loop-confined. */
    public BufferPool buffers() {
        checkInLoop();
        return buffers;
    }

    /**
     * @return this loop's pool of {@value BufferPool#LARGE_CHUNK_SIZE}-byte buffers, big enough for
     *     several whole TLS records (what {@code SSLEngine} wrap and unwrap need). Loop-confined.
     */
    public BufferPool largeBuffers() {
        checkInLoop();
        return largeBuffers;
    }

    /**
     * The direct buffer every socket read on this loop goes through. Its contents are valid only
     * until the current callback returns. Loop-confined.
     *
     * @return the cleared read buffer
     */
    public ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    /**
     * Registers a hook run on this loop when the group begins a graceful close: servers stop
     * accepting and ask their connections to finish. Loop-confined.
     *
     * @param hook what to run
     */
    public void onShutdown(Runnable hook) {
        checkInLoop();
        shutdownHooks.add(hook);
    }

    /**
     * Names the callback now running, for the watchdog: if it blocks the loop, the report shows
     * {@code label.toString()} instead of the transport's name. The label's {@code toString} is only
     * called if a report is made (on the watchdog thread), so pass an object, not a built string.
     * Loop-confined; lasts until the current callback returns.
     *
     * @param label e.g. the HTTP request being handled
     */
    public void labelCurrent(Object label) {
        stats.label(label);
    }

    /**
     * Routes an exception thrown by application code to the group's uncaught-exception sink.
     *
     * @param t the exception
     */
    public void reportUncaught(Throwable t) {
        if (t instanceof VirtualMachineError vme) {
            throw vme;
        }
        try {
            group.options().onUncaught().accept(t);
        } catch (RuntimeException e) {
            Reporting.LOG.log(Level.ERROR, "the onUncaught sink itself threw", e);
        }
    }

    void checkInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("must be called on loop " + name + ", not on "
                    + Thread.currentThread().getName());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Metrics (any thread)

    /** @return loop lag: how late timers ran versus their deadline, in nanoseconds */
    public Histogram lag() {
        return stats.lag();
    }

    /**
     * @return the largest loop lag seen in the last one to two seconds, in nanoseconds: how late the
     *     loop got to its due timers. Cheap enough to check on every request (admission control).
     */
    public long recentLag() {
        return stats.recentLag();
    }

    /** @return tasks waiting in the queue fed by {@link #execute} */
    public int pendingTasks() {
        return tasks.size();
    }

    /** @return nanoseconds this loop spent sleeping in select since it started */
    public long idleNanos() {
        return stats.idleNanos();
    }

    /** @return nanoseconds since this loop started */
    public long uptimeNanos() {
        return stats.uptimeNanos();
    }

    /** @return callbacks run so far (tasks, I/O events, timers) */
    public long tasksRun() {
        return stats.tasksRun();
    }

    /** @return sockets registered with this loop's poller (with NIO, including ones being cancelled) */
    public int registeredChannels() {
        return state == TERMINATED ? 0 : poller.registered();
    }

    /**
     * Channels still open when this loop terminated, closed bluntly by the loop itself rather than
     * by their handlers (so their buffers and close callbacks were skipped). A graceful close leaves
     * none: the close procedure force-closes stragglers through their handlers at the deadline.
     * Meaningful once the group's close completed; 0 before. Any thread.
     *
     * @return that count
     */
    public int abandonedChannels() {
        return abandonedChannels;
    }

    /**
     * Pooled buffers acquired on this loop and not released: 0 once a group closed cleanly. Read
     * on this loop, or from any thread after the group's close completed.
     *
     * @return that count
     */
    public long outstandingBuffers() {
        return buffers.outstanding() + largeBuffers.outstanding();
    }

    LoopStats stats() {
        return stats;
    }

    // ------------------------------------------------------------------------------------------
    // The loop

    private void run() {
        try {
            while (true) {
                poller.poll(pollTimeoutNanos());
                runDueTimers();
                runTasks();
                runImmediates();
                if (state == CLOSING && closingDone()) {
                    break;
                }
            }
        } catch (Throwable t) {
            Reporting.LOG.log(Level.ERROR, "loop " + name + " died", t);
            throw t;
        } finally {
            terminate();
        }
    }

    /** 0 if work is queued; else until the earliest timer; forever if none; capped while closing. */
    private long pollTimeoutNanos() {
        if (!tasks.isEmpty() || !immediates.isEmpty()) {
            return 0;
        }
        long next = timers.nextDeadline();
        long now = now();
        // Sample lag before polling too: requests read by this poll see how late the loop is now.
        stats.sampleLag(now, next);
        long timeout = next == Long.MAX_VALUE ? -1 : Math.max(0, next - now);
        if (state == CLOSING) {
            timeout = timeout < 0 ? CLOSING_POLL_NANOS : Math.min(timeout, CLOSING_POLL_NANOS);
        }
        return timeout;
    }

    private void dispatch(IoHandler h, int readyOps) {
        stats.enter(h);
        try {
            h.ready(readyOps);
        } catch (Throwable t) {
            // Transports route their own errors; reaching here is a bug in one: contain it.
            reportUncaught(t);
            try {
                h.forceClose();
            } catch (RuntimeException e) {
                reportUncaught(e);
            }
        }
        finishCallback();
    }

    private void runDueTimers() {
        long now = now();
        stats.sampleLag(now, timers.nextDeadline());
        ScheduledTimer t;
        while ((t = timers.pollDue(now)) != null) {
            stats.recordTimerLag(now - t.deadline());
            runGuarded(t.task(), t.task());
            if (t.periodic() && !t.isCancelled()) {
                t.advance(now);
                timers.add(t);
            }
        }
    }

    private void runTasks() {
        for (int i = 0; i < TASK_BUDGET; i++) {
            Runnable r = tasks.poll();
            if (r == null) {
                return;
            }
            runGuarded(r, r);
        }
    }

    private void runImmediates() {
        // Only those queued before this phase began; ones they queue run next iteration (Node).
        for (int n = immediates.size(); n > 0; n--) {
            Runnable r = immediates.poll();
            runGuarded(r, r);
        }
    }

    private void runGuarded(Object handler, Runnable r) {
        stats.enter(handler);
        try {
            r.run();
        } catch (Throwable t) {
            reportUncaught(t);
        }
        finishCallback();
    }

    /**
     * Drains the microtasks the callback queued, still under its label: a promise reaction that
     * blocks is reported with the handler that settled the promise, not as loop internals.
     */
    private void finishCallback() {
        try {
            drainMicrotasks();
        } finally {
            stats.exit();
        }
    }

    private void drainMicrotasks() {
        Runnable m;
        while ((m = microtasks.poll()) != null) {
            try {
                m.run();
            } catch (Throwable t) {
                reportUncaught(t);
            }
        }
        if (!pendingRejections.isEmpty()) {
            reportRejections();
        }
    }

    void trackRejection(Promise<?> p) {
        pendingRejections.add(p);
    }

    private void reportRejections() {
        // Node semantics: rejected with no handler once the microtask queue has drained.
        Promise<?>[] ps = pendingRejections.toArray(new Promise<?>[0]);
        pendingRejections.clear();
        for (Promise<?> p : ps) {
            if (!p.handled()) {
                try {
                    group.options().onUnhandledRejection().accept(p.cause());
                } catch (RuntimeException e) {
                    Reporting.LOG.log(Level.ERROR, "the onUnhandledRejection sink itself threw", e);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Graceful close: see LoopGroup.close for the whole procedure.

    private boolean onlyClientsLeft() {
        for (IoHandler h : poller.handlers()) {
            if (!h.isClient()) {
                return false;
            }
        }
        return true;
    }

    void beginClose(long deadlineNanos) {
        execute(() -> {
            if (state != RUNNING) {
                return;
            }
            state = CLOSING;
            closeDeadline = deadlineNanos;
            for (Runnable hook : shutdownHooks.toArray(new Runnable[0])) {
                runGuarded(hook, hook);
            }
        });
    }

    private boolean closingDone() {
        if (poller.registered() == 0 && tasks.isEmpty() && microtasks.isEmpty()) {
            return true;
        }
        if (!clientsAsked && onlyClientsLeft()) {
            // Servers have drained: nothing will use the pools' connections any more. Ask them to
            // finish (a database pool says goodbye) instead of waiting out the deadline.
            clientsAsked = true;
            for (IoHandler h : poller.handlers()) {
                runGuarded(h, h::othersFinished);
            }
        }
        // The close deadline is wall time for people waiting on close, never the (maybe manual) clock.
        if (System.nanoTime() - closeDeadline >= 0) {
            for (IoHandler h : poller.handlers()) {
                Reporting.LOG.log(Level.DEBUG, "forcing close of " + h.handlerName() + " on " + name);
                try {
                    h.forceClose();
                } catch (RuntimeException e) {
                    reportUncaught(e);
                }
            }
            return true;
        }
        return false;
    }

    private void terminate() {
        state = TERMINATED;
        timers.clear();
        immediates.clear();
        Runnable r;
        while ((r = tasks.poll()) != null) {
            runGuarded(r, r); // late completions (e.g. worker results) still reach their promises
        }
        abandonedChannels = poller.close();
        long leaked = outstandingBuffers();
        if (leaked > 0) {
            BufferPool.leaked(name, leaked);
        }
        buffers.dispose();
        largeBuffers.dispose();
        terminated.complete(null);
    }

    CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + "]";
    }

    /** The thread of a loop; lets {@link #current()} answer without a thread-local. */
    private static final class LoopThread extends Thread {
        private final EventLoop loop;

        LoopThread(EventLoop loop) {
            super(loop::run, loop.name);
            this.loop = loop;
        }
    }

    /** A task with a name for the watchdog. */
    record NamedTask(String name, Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Handle of a {@link #setImmediate} task. */
    private final class ImmediateTask implements Runnable, Timer {
        private final Runnable task;
        private boolean cancelled;

        ImmediateTask(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (!cancelled) {
                task.run();
            }
        }

        @Override
        public void cancel() {
            if (inLoop()) {
                cancelled = true;
            } else {
                execute(this::cancel);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }
}
