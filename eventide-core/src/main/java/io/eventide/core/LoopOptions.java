package io.eventide.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of a {@link LoopGroup}. Start from {@link #defaults()} and change what you need:
 * {@code LoopOptions.defaults().loops(1).blockedThreshold(Duration.ofMillis(50))}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>property</th></tr>
 *   <tr><td>loops</td><td>one per available core</td><td>{@code eventide.core.loops}</td></tr>
 *   <tr><td>blockedThreshold</td><td>100 ms</td><td>{@code eventide.core.blocked-threshold-ms}</td></tr>
 *   <tr><td>lagProbeInterval</td><td>20 ms (0 disables)</td><td></td></tr>
 *   <tr><td>workerThreads</td><td>max(4, cores)</td><td>{@code eventide.core.worker-threads}</td></tr>
 *   <tr><td>workerQueue</td><td>{@value #DEFAULT_WORKER_QUEUE}</td><td>{@code eventide.core.worker-queue}</td></tr>
 * </table>
 *
 * @param loops number of event loops
 * @param namePrefix thread name prefix, e.g. {@code "eventide-loop"}
 * @param blockedThreshold a task holding a loop longer than this is reported by the watchdog
 * @param onBlocked receives watchdog reports (default: logged as a warning)
 * @param lagProbeInterval period of the timer that samples loop lag when no other timer fires
 * @param workerThreads threads of the offload pool
 * @param workerQueue bound of the offload queue; past it, offload fails with {@link OverloadException}
 * @param onUncaught receives exceptions thrown by tasks and callbacks (default: logged)
 * @param onUnhandledRejection receives failures of promises nobody handled (default: logged)
 * @param clock the loops' time source for timers, lag and idle timeouts (default:
 *     {@link NanoClock#SYSTEM}; tests install a manual one)
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record LoopOptions(int loops, String namePrefix, Duration blockedThreshold,
        Consumer<BlockedLoopReport> onBlocked, Duration lagProbeInterval, int workerThreads, int workerQueue,
        Consumer<Throwable> onUncaught, Consumer<Throwable> onUnhandledRejection, NanoClock clock) {

    /** Default bound of the worker queue. */
    public static final int DEFAULT_WORKER_QUEUE = 1024;

    /** Validates the settings. */
    public LoopOptions {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be >= 1: " + loops);
        }
        if (workerThreads < 1 || workerQueue < 1) {
            throw new IllegalArgumentException("workerThreads and workerQueue must be >= 1");
        }
        Objects.requireNonNull(namePrefix, "namePrefix");
        Objects.requireNonNull(blockedThreshold, "blockedThreshold");
        Objects.requireNonNull(onBlocked, "onBlocked");
        Objects.requireNonNull(lagProbeInterval, "lagProbeInterval");
        Objects.requireNonNull(onUncaught, "onUncaught");
        Objects.requireNonNull(onUnhandledRejection, "onUnhandledRejection");
        Objects.requireNonNull(clock, "clock");
    }

    /** @return the defaults, read from system properties where set */
    public static LoopOptions defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new LoopOptions(Integer.getInteger("eventide.core.loops", cores), "eventide-loop",
                Duration.ofMillis(Long.getLong("eventide.core.blocked-threshold-ms", 100)),
                Reporting::logBlocked, Duration.ofMillis(20),
                Integer.getInteger("eventide.core.worker-threads", Math.max(4, cores)),
                Integer.getInteger("eventide.core.worker-queue", DEFAULT_WORKER_QUEUE),
                Reporting::logUncaught, Reporting::logUnhandledRejection, NanoClock.SYSTEM);
    }

    /** @param n loops @return a copy with that many loops */
    public LoopOptions loops(int n) {
        return new LoopOptions(n, namePrefix, blockedThreshold, onBlocked, lagProbeInterval, workerThreads,
                workerQueue, onUncaught, onUnhandledRejection, clock);
    }

    /** @param prefix thread name prefix @return a copy with it */
    public LoopOptions namePrefix(String prefix) {
        return new LoopOptions(loops, prefix, blockedThreshold, onBlocked, lagProbeInterval, workerThreads,
                workerQueue, onUncaught, onUnhandledRejection, clock);
    }

    /** @param threshold watchdog threshold @return a copy with it */
    public LoopOptions blockedThreshold(Duration threshold) {
        return new LoopOptions(loops, namePrefix, threshold, onBlocked, lagProbeInterval, workerThreads,
                workerQueue, onUncaught, onUnhandledRejection, clock);
    }

    /** @param sink watchdog report sink @return a copy with it */
    public LoopOptions onBlocked(Consumer<BlockedLoopReport> sink) {
        return new LoopOptions(loops, namePrefix, blockedThreshold, sink, lagProbeInterval, workerThreads,
                workerQueue, onUncaught, onUnhandledRejection, clock);
    }

    /** @param interval lag probe period, {@link Duration#ZERO} to disable @return a copy with it */
    public LoopOptions lagProbeInterval(Duration interval) {
        return new LoopOptions(loops, namePrefix, blockedThreshold, onBlocked, interval, workerThreads,
                workerQueue, onUncaught, onUnhandledRejection, clock);
    }

    /** @param threads worker threads @param queue worker queue bound @return a copy with them */
    public LoopOptions workers(int threads, int queue) {
        return new LoopOptions(loops, namePrefix, blockedThreshold, onBlocked, lagProbeInterval, threads, queue,
                onUncaught, onUnhandledRejection, clock);
    }

    /** @param sink receives uncaught callback exceptions @return a copy with it */
    public LoopOptions onUncaught(Consumer<Throwable> sink) {
        return new LoopOptions(loops, namePrefix, blockedThreshold, onBlocked, lagProbeInterval, workerThreads,
                workerQueue, sink, onUnhandledRejection, clock);
    }

    /** @param c the loops' time source @return a copy with it */
    public LoopOptions clock(NanoClock c) {
        return new LoopOptions(loops, namePrefix, blockedThreshold, onBlocked, lagProbeInterval, workerThreads,
                workerQueue, onUncaught, onUnhandledRejection, c);
    }

    /** @param sink receives unhandled promise rejections @return a copy with it */
    public LoopOptions onUnhandledRejection(Consumer<Throwable> sink) {
        return new LoopOptions(loops, namePrefix, blockedThreshold, onBlocked, lagProbeInterval, workerThreads,
                workerQueue, onUncaught, sink, clock);
    }
}
