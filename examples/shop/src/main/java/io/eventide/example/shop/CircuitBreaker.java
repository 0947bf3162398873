package io.eventide.example.shop;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Guards calls to one dependency with three plain mechanisms, so that a slow or failing dependency
 * costs its callers a bounded wait, then none at all:
 *
 * <ol>
 *   <li><b>Timeout</b>: each call gets {@code timeout} (a loop timer, {@link Promise#timeout});
 *       past it the caller's promise fails with {@code DeadlineExceededException}.</li>
 *   <li><b>Bulkhead</b>: at most {@code maxConcurrent} calls in flight; one more fails at once with
 *       {@link OverloadException} instead of queueing behind the slow ones.</li>
 *   <li><b>Circuit breaker</b>: after {@code failureThreshold} failures in a row (timeouts, errors,
 *       and results {@code isFailure} calls failures, e.g. a 5xx) the circuit <em>opens</em>: calls
 *       fail at once with {@link OpenException} for {@code openFor}. The first call after that is a
 *       <em>half-open</em> probe; while it runs, others still fail fast. Its success closes the
 *       circuit, its failure opens it for another {@code openFor}.</li>
 * </ol>
 *
 * <pre>
 *            failures &gt;= threshold             openFor elapsed, one call
 *   CLOSED ─────────────────────────► OPEN ───────────────────────────► HALF_OPEN
 *     ▲                                 ▲                                  │
 *     │                                 └──────── probe failed ────────────┤
 *     └─────────────────────────────────────────── probe succeeded ────────┘
 * </pre>
 *
 * <p>Nothing here blocks or sleeps: the breaker is a few atomics, and the only timer is the
 * timeout's, on the caller's loop. No external library is used: Resilience4j and friends are built
 * around {@code CompletionStage} and their own schedulers, while this is twenty lines of state
 * on Eventide's promises.
 *
 * <p><b>Threading:</b> any thread. One breaker is shared by every loop of a gateway: its state and
 * counters are atomics ({@code state} guards the transitions; {@code openedAt} is written before the
 * transition to OPEN that publishes it). The call's promise and {@code isFailure} run on the
 * caller's loop.
 */
final class CircuitBreaker {
    /** The breaker's state. */
    enum State { CLOSED, OPEN, HALF_OPEN }

    /** A call refused because the circuit is open (or a half-open probe is already running). */
    static final class OpenException extends EventideException {
        private static final long serialVersionUID = 1L;

        OpenException(String name) {
            super("circuit to " + name + " is open");
        }
    }

    /** Counters, for /admin/breaker and the tests. */
    record Stats(State state, long calls, long successes, long failures, long timeouts, long rejectedOpen,
            long rejectedFull, long opens, int inFlight, int consecutiveFailures) {
    }

    private final String name;
    private final Duration timeout;
    private final int maxConcurrent;
    private final int failureThreshold;
    private final long openForNanos;
    private final LongSupplier clock;

    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
    private final AtomicInteger consecutive = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long openedAt;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong rejectedOpen = new AtomicLong();
    private final AtomicLong rejectedFull = new AtomicLong();
    private final AtomicLong opens = new AtomicLong();

    /**
     * @param name the dependency, for messages
     * @param timeout each call's limit
     * @param maxConcurrent the bulkhead: calls in flight at once
     * @param failureThreshold failures in a row that open the circuit
     * @param openFor how long the circuit stays open before a probe
     * @param clock nanoseconds ({@code System::nanoTime}; a hand-moved clock in tests)
     */
    CircuitBreaker(String name, Duration timeout, int maxConcurrent, int failureThreshold, Duration openFor,
            LongSupplier clock) {
        if (maxConcurrent < 1 || failureThreshold < 1 || timeout.isNegative() || timeout.isZero() || openFor.isNegative()) {
            throw new IllegalArgumentException("breaker " + name + ": maxConcurrent and failureThreshold must be >= 1, "
                    + "timeout > 0, openFor >= 0");
        }
        this.name = Objects.requireNonNull(name, "name");
        this.timeout = timeout;
        this.maxConcurrent = maxConcurrent;
        this.failureThreshold = failureThreshold;
        this.openForNanos = openFor.toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Makes the call if the breaker and the bulkhead allow it.
     *
     * @param <T> the result type
     * @param loop the caller's loop: the returned promise, the timer and {@code isFailure} run there
     * @param call starts the call (run at once, on the caller's thread, only if admitted)
     * @param isFailure which results count as failures (a 5xx response, say)
     * @return the call's result; or failed with {@link OpenException}, {@link OverloadException}
     *     (bulkhead full), {@code DeadlineExceededException} (timeout) or the call's own failure
     */
    <T> Promise<T> call(EventLoop loop, Supplier<Promise<T>> call, Predicate<? super T> isFailure) {
        if (!admit()) {
            rejectedOpen.incrementAndGet();
            return Promise.failed(loop, new OpenException(name));
        }
        if (inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            rejectedFull.incrementAndGet();
            releaseProbe(); // a probe refused by the bulkhead proved nothing: let the next call try
            return Promise.failed(loop, new OverloadException("bulkhead to " + name + " is full ("
                    + maxConcurrent + " calls in flight)"));
        }
        calls.incrementAndGet();
        Promise<T> started;
        try {
            started = call.get();
        } catch (RuntimeException e) {
            started = Promise.failed(loop, e);
        }
        return started.timeout(timeout).whenComplete((v, e) -> {
            inFlight.decrementAndGet();
            if (e == null && !isFailure.test(v)) {
                succeeded();
            } else {
                if (e instanceof DeadlineExceededException) {
                    timeouts.incrementAndGet();
                }
                failed();
            }
        });
    }

    /** @return whether a call may go: closed, or the one probe of an open circuit whose time is up */
    boolean admit() {
        State s = state.get();
        if (s == State.CLOSED) {
            return true;
        }
        // Read openedAt after the state: it was written before the CAS that published OPEN.
        return s == State.OPEN && clock.getAsLong() - openedAt >= openForNanos
                && state.compareAndSet(State.OPEN, State.HALF_OPEN);
    }

    private void releaseProbe() {
        state.compareAndSet(State.HALF_OPEN, State.OPEN); // openedAt unchanged: the next call probes
    }

    void succeeded() {
        successes.incrementAndGet();
        consecutive.set(0);
        state.compareAndSet(State.HALF_OPEN, State.CLOSED);
    }

    void failed() {
        failures.incrementAndGet();
        int n = consecutive.incrementAndGet();
        State s = state.get();
        if (s == State.HALF_OPEN || s == State.CLOSED && n >= failureThreshold) {
            openedAt = clock.getAsLong();
            if (state.compareAndSet(s, State.OPEN)) {
                opens.incrementAndGet();
            }
        }
    }

    /** {@return the current state} */
    State state() {
        return state.get();
    }

    /** {@return how long an open circuit waits before its probe} */
    Duration openFor() {
        return Duration.ofNanos(openForNanos);
    }

    /** {@return a snapshot of the counters (each read atomically, not all at one instant)} */
    Stats stats() {
        return new Stats(state.get(), calls.get(), successes.get(), failures.get(), timeouts.get(), rejectedOpen.get(),
                rejectedFull.get(), opens.get(), inFlight.get(), consecutive.get());
    }
}
