package io.eventide.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N event loops (default: one per core), their worker pool and their watchdog. Resources are spread
 * across loops with {@link #next()} and stay on the loop they were given for life.
 *
 * <pre>{@code
 * LoopGroup group = LoopGroup.create();           // one loop per core
 * EventLoop loop = group.next();
 * loop.setTimeout(100, () -> System.out.println("hello from " + loop.name()));
 * group.close(Duration.ofSeconds(5)).join();
 * }</pre>
 *
 * <p><b>Graceful close</b> ({@link #close(Duration)}):
 * <ol>
 *   <li>Every loop runs its {@link EventLoop#onShutdown} hooks: servers stop accepting, idle
 *       connections close, busy ones are asked to finish.</li>
 *   <li>Each loop keeps running until no channel is registered, or until the deadline, when the
 *       remaining channels are closed by force. Pending timers do not hold a loop open.</li>
 *   <li>Loop threads terminate and are joined; the worker pool is given what is left of the
 *       deadline, then interrupted; the watchdog stops.</li>
 *   <li>The returned future completes: no thread of the group is left, every channel is closed and
 *       every pooled buffer released.</li>
 * </ol>
 * On SIGTERM/SIGINT (JVM shutdown) every group still open is closed this way with a 10 s deadline
 * ({@code eventide.core.shutdown-grace-ms}).
 *
 * <p>Why {@link #close(Duration)} returns a {@link CompletableFuture}, the one place in the API that
 * does not return a {@link Promise}: a promise completes on the loop that owns it, and the loops of
 * this group are exactly what is being closed. Its completion means "no loop of this group is left",
 * so no loop of the group can deliver it; the callers are main threads, shutdown hooks and tests,
 * which wait with {@code join()}. A loop of another group that wants a promise bridges with
 * {@link Promise#from(EventLoop, java.util.concurrent.CompletionStage)}.
 *
 * <p><b>Threading:</b> any thread.
 */
public final class LoopGroup implements AutoCloseable {
    private static final Set<LoopGroup> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
    private static final AtomicInteger GROUP_SEQ = new AtomicInteger();

    private final LoopOptions options;
    private final List<EventLoop> loops;
    private final Workers workers;
    private final Watchdog watchdog;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private LoopGroup(LoopOptions options) {
        this.options = options;
        int id = GROUP_SEQ.incrementAndGet();
        String prefix = id == 1 ? options.namePrefix() : options.namePrefix() + "-g" + id;
        List<EventLoop> ls = new ArrayList<>(options.loops());
        for (int i = 0; i < options.loops(); i++) {
            ls.add(new EventLoop(this, prefix + "-" + i));
        }
        this.loops = List.copyOf(ls);
        this.workers = new Workers(prefix + "-worker", options.workerThreads(), options.workerQueue());
        this.watchdog = new Watchdog(loops, options.blockedThreshold(), prefix + "-watchdog");
    }

    /** @return a group with one loop per core and default options */
    public static LoopGroup create() {
        return create(LoopOptions.defaults());
    }

    /**
     * @param loops number of loops
     * @return a group with that many loops and otherwise default options
     */
    public static LoopGroup create(int loops) {
        return create(LoopOptions.builder().loops(loops).build());
    }

    /**
     * @param options the settings
     * @return a started group
     */
    public static LoopGroup create(LoopOptions options) {
        LoopGroup g = new LoopGroup(options);
        for (EventLoop l : g.loops) {
            l.start();
        }
        g.watchdog.start();
        OPEN.add(g);
        installShutdownHook();
        return g;
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Duration grace = Duration.ofMillis(Long.getLong("eventide.core.shutdown-grace-ms", 10_000));
                List<CompletableFuture<Void>> fs = new ArrayList<>();
                for (LoopGroup g : OPEN) {
                    fs.add(g.close(grace));
                }
                try {
                    CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0]))
                            .get(grace.toMillis() + 5_000, TimeUnit.MILLISECONDS); // blocking-ok: JVM shutdown hook thread
                } catch (Exception e) {
                    Reporting.LOG.log(Level.WARNING, "graceful shutdown did not finish in time", e);
                }
            }, "eventide-shutdown"));
        }
    }

    /** @return the next loop, round-robin */
    public EventLoop next() {
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    /** @param i index @return loop number {@code i} */
    public EventLoop loop(int i) {
        return loops.get(i);
    }

    /** @return every loop, in index order */
    public List<EventLoop> loops() {
        return loops;
    }

    /** @return number of loops */
    public int size() {
        return loops.size();
    }

    /** @return the worker pool behind {@link EventLoop#offload} */
    public Workers workers() {
        return workers;
    }

    /** @return the settings */
    public LoopOptions options() {
        return options;
    }

    /** @return how many blocked-loop reports the watchdog made */
    public long watchdogReports() {
        return watchdog.reports();
    }

    /** @return whether {@link #close} was called */
    public boolean isClosing() {
        return closing.get();
    }

    /** Closes with a 10 second deadline and waits for it. Not on a loop thread. */
    @Override
    public void close() {
        CompletableFuture<Void> f = close(Duration.ofSeconds(10));
        if (EventLoop.current() == null) {
            f.join(); // blocking-ok: guarded, never on a loop thread
        }
    }

    /**
     * Starts a graceful close (see the class documentation); idempotent.
     *
     * @param grace how long running work may take before it is cut off
     * @return completes once every thread of the group has ended
     */
    public CompletableFuture<Void> close(Duration grace) {
        if (!closing.compareAndSet(false, true)) {
            return terminated;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        Thread closer = new Thread(() -> closeAll(deadline), "eventide-closer");
        closer.setDaemon(true);
        closer.start();
        return terminated;
    }

    private void closeAll(long deadline) {
        try {
            for (EventLoop l : loops) {
                try {
                    l.beginClose(deadline);
                } catch (LoopClosedException e) {
                    // Already terminated (it died): nothing to ask it.
                }
            }
            for (EventLoop l : loops) {
                l.terminationFuture().join(); // blocking-ok: eventide-closer thread
                l.thread().join(); // blocking-ok: eventide-closer thread
            }
            workers.shutdown(Math.max(0, deadline - System.nanoTime()));
            watchdog.stop();
            OPEN.remove(this);
            terminated.complete(null);
        } catch (Throwable t) {
            terminated.completeExceptionally(t);
        }
    }
}
