package io.eventide.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of a {@link LoopGroup}. Take {@link #defaults()}, or build what you need on top of
 * them: {@code LoopOptions.builder().loops(1).blockedThreshold(Duration.ofMillis(50)).build()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>property</th></tr>
 *   <tr><td>loops</td><td>one per available core</td><td>{@code eventide.core.loops}</td></tr>
 *   <tr><td>blockedThreshold</td><td>100 ms</td><td>{@code eventide.core.blocked-threshold-ms}</td></tr>
 *   <tr><td>lagProbeInterval</td><td>20 ms (0 disables)</td><td></td></tr>
 *   <tr><td>workerThreads</td><td>max(4, cores)</td><td>{@code eventide.core.worker-threads}</td></tr>
 *   <tr><td>workerQueue</td><td>{@value #DEFAULT_WORKER_QUEUE}</td><td>{@code eventide.core.worker-queue}</td></tr>
 *   <tr><td>transport</td><td>{@link Transport#NIO}</td><td>{@code eventide.core.transport}</td></tr>
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
 * @param transport how the loops poll and move socket I/O ({@link Transport})
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record LoopOptions(int loops, String namePrefix, Duration blockedThreshold,
        Consumer<BlockedLoopReport> onBlocked, Duration lagProbeInterval, int workerThreads, int workerQueue,
        Consumer<Throwable> onUncaught, Consumer<Throwable> onUnhandledRejection, NanoClock clock,
        Transport transport) {

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
        Objects.requireNonNull(transport, "transport");
    }

    /** @return the defaults, read from system properties where set */
    public static LoopOptions defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults (system properties where set) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds {@link LoopOptions}; every setter returns the builder.
     *
     * <p><b>Threading:</b> not thread-safe; build on one thread, then share the immutable result.
     */
    public static final class Builder {
        private int loops;
        private String namePrefix = "eventide-loop";
        private Duration blockedThreshold;
        private Consumer<BlockedLoopReport> onBlocked = Reporting::logBlocked;
        private Duration lagProbeInterval = Duration.ofMillis(20);
        private int workerThreads;
        private int workerQueue;
        private Consumer<Throwable> onUncaught = Reporting::logUncaught;
        private Consumer<Throwable> onUnhandledRejection = Reporting::logUnhandledRejection;
        private NanoClock clock = NanoClock.SYSTEM;
        private Transport transport;

        private Builder() {
            int cores = Runtime.getRuntime().availableProcessors();
            loops = Integer.getInteger("eventide.core.loops", cores);
            blockedThreshold = Duration.ofMillis(Long.getLong("eventide.core.blocked-threshold-ms", 100));
            workerThreads = Integer.getInteger("eventide.core.worker-threads", Math.max(4, cores));
            workerQueue = Integer.getInteger("eventide.core.worker-queue", DEFAULT_WORKER_QUEUE);
            transport = Transport.parse(System.getProperty("eventide.core.transport", "nio"));
        }

        private Builder(LoopOptions o) {
            loops = o.loops;
            namePrefix = o.namePrefix;
            blockedThreshold = o.blockedThreshold;
            onBlocked = o.onBlocked;
            lagProbeInterval = o.lagProbeInterval;
            workerThreads = o.workerThreads;
            workerQueue = o.workerQueue;
            onUncaught = o.onUncaught;
            onUnhandledRejection = o.onUnhandledRejection;
            clock = o.clock;
            transport = o.transport;
        }

        /** @param n number of event loops @return this */
        public Builder loops(int n) {
            loops = n;
            return this;
        }

        /** @param prefix thread name prefix @return this */
        public Builder namePrefix(String prefix) {
            namePrefix = prefix;
            return this;
        }

        /** @param threshold watchdog threshold @return this */
        public Builder blockedThreshold(Duration threshold) {
            blockedThreshold = threshold;
            return this;
        }

        /** @param sink receives watchdog reports @return this */
        public Builder onBlocked(Consumer<BlockedLoopReport> sink) {
            onBlocked = sink;
            return this;
        }

        /** @param interval lag probe period, {@link Duration#ZERO} to disable @return this */
        public Builder lagProbeInterval(Duration interval) {
            lagProbeInterval = interval;
            return this;
        }

        /** @param threads offload threads @param queue offload queue bound @return this */
        public Builder workers(int threads, int queue) {
            workerThreads = threads;
            workerQueue = queue;
            return this;
        }

        /** @param sink receives uncaught exceptions of tasks and callbacks @return this */
        public Builder onUncaught(Consumer<Throwable> sink) {
            onUncaught = sink;
            return this;
        }

        /** @param sink receives failures of promises nobody handled @return this */
        public Builder onUnhandledRejection(Consumer<Throwable> sink) {
            onUnhandledRejection = sink;
            return this;
        }

        /** @param c the loops' time source @return this */
        public Builder clock(NanoClock c) {
            clock = c;
            return this;
        }

        /** @param t how the loops poll and move socket I/O @return this */
        public Builder transport(Transport t) {
            transport = t;
            return this;
        }

        /** @return the settings, validated */
        public LoopOptions build() {
            return new LoopOptions(loops, namePrefix, blockedThreshold, onBlocked, lagProbeInterval, workerThreads,
                    workerQueue, onUncaught, onUnhandledRejection, clock, transport);
        }
    }
}
