package io.eventide.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import io.eventide.example.shop.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The breaker's states on a hand-moved clock, and its timeout and bulkhead on a real loop. */
class CircuitBreakerTest {
    private static LoopGroup group;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @BeforeAll
    static void loops() {
        group = LoopGroup.create(1);
    }

    @AfterAll
    static void close() {
        group.close();
    }

    private CircuitBreaker breaker(int threshold, Duration timeout, int maxConcurrent) {
        return new CircuitBreaker("dep", timeout, maxConcurrent, threshold, Duration.ofSeconds(2), now::get);
    }

    @Test
    void opensAfterTheThresholdOfFailuresInARowAndProbesOnceTheOpenTimeIsUp() {
        CircuitBreaker b = breaker(3, Duration.ofSeconds(1), 10);
        b.failed();
        b.failed();
        b.succeeded(); // a success resets the run
        b.failed();
        b.failed();
        assertThat(b.state()).isEqualTo(State.CLOSED);
        b.failed();
        assertThat(b.state()).isEqualTo(State.OPEN);
        assertThat(b.admit()).isFalse();
        now.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(b.admit()).isFalse();
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(b.admit()).as("the probe").isTrue();
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        assertThat(b.admit()).as("a second call while the probe runs").isFalse();
        b.failed(); // the probe failed: open for another period
        assertThat(b.state()).isEqualTo(State.OPEN);
        assertThat(b.admit()).isFalse();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(b.admit()).isTrue();
        b.succeeded(); // the probe succeeded: closed
        assertThat(b.state()).isEqualTo(State.CLOSED);
        assertThat(b.admit()).isTrue();
        assertThat(b.stats().opens()).isEqualTo(2);
    }

    @Test
    void callsFailFastWhileOpenAndResultsCanCountAsFailures() {
        CircuitBreaker b = breaker(2, Duration.ofSeconds(5), 10);
        EventLoop loop = group.next();
        assertThat(onLoop(() -> b.call(loop, () -> Promise.resolved(loop, 503), s -> s >= 500))).isEqualTo(503);
        assertThat(onLoop(() -> b.call(loop, () -> Promise.resolved(loop, 500), s -> s >= 500))).isEqualTo(500);
        assertThat(b.state()).isEqualTo(State.OPEN);
        AtomicInteger started = new AtomicInteger();
        Throwable refused = failure(() -> b.call(loop, () -> {
            started.incrementAndGet();
            return Promise.resolved(loop, 200);
        }, s -> s >= 500));
        assertThat(refused).isInstanceOf(CircuitBreaker.OpenException.class);
        assertThat(started).hasValue(0);
        assertThat(b.stats().rejectedOpen()).isEqualTo(1);
        assertThat(b.stats().failures()).isEqualTo(2);
    }

    @Test
    void aCallPastItsTimeoutFailsAndCountsAsATimeout() {
        CircuitBreaker b = breaker(5, Duration.ofMillis(20), 10);
        EventLoop loop = group.next();
        Throwable e = failure(() -> b.call(loop, loop::<Integer>promise, s -> false)); // never settles
        assertThat(e).isInstanceOf(DeadlineExceededException.class);
        CircuitBreaker.Stats s = b.stats();
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(s.failures()).isEqualTo(1);
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void theBulkheadRefusesCallsPastItsLimitAtOnce() {
        CircuitBreaker b = breaker(5, Duration.ofSeconds(30), 2);
        EventLoop loop = group.next();
        CompletableFuture<Throwable> pending = new CompletableFuture<>();
        loop.execute(() -> {
            Promise<Integer> p1 = loop.promise();
            Promise<Integer> p2 = loop.promise();
            b.call(loop, () -> p1, s -> false);
            b.call(loop, () -> p2, s -> false);
            b.call(loop, () -> Promise.resolved(loop, 1), s -> false).whenComplete((v, err) -> {
                p1.resolve(1);
                p2.resolve(2);
                pending.complete(err);
            });
        });
        Throwable third = pending.join(); // blocking-ok: the test thread
        assertThat(third).isInstanceOf(OverloadException.class).hasMessageContaining("bulkhead");
        assertThat(b.stats().rejectedFull()).isEqualTo(1);
        assertThat(b.state()).isEqualTo(State.CLOSED);
    }

    private static <T> T onLoop(Supplier<Promise<T>> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        group.next().execute(() -> call.get().whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        }));
        return f.join(); // blocking-ok: the test thread
    }

    private static Throwable failure(Supplier<Promise<Integer>> call) {
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        group.next().execute(() -> call.get().whenComplete((v, e) -> f.complete(e)));
        return f.join(); // blocking-ok: the test thread
    }
}
