package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timers on a {@link ManualClock}: exact ties, exact lag, no sleeping, no timing assumption. */
class TimerTest {
    final ManualClock clock = new ManualClock();
    LoopGroup group;
    EventLoop loop;

    @BeforeEach
    void setUp() {
        group = LoopGroup.create(LoopOptions.builder().loops(1).clock(clock).lagProbeInterval(Duration.ZERO).build());
        loop = group.loop(0);
    }

    @AfterEach
    void tearDown() {
        group.close(Duration.ofSeconds(5)).join();
    }

    /** Runs {@code c} on the loop and returns its value. */
    <T> T onLoop(Callable<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(c.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.join();
    }

    @Test
    void timersFireInDeadlineOrderAndTiesInSchedulingOrder() {
        List<String> order = new ArrayList<>();
        onLoop(() -> {
            // The clock stands still while this runs: both 30 ms timers get the very same deadline.
            loop.setTimeout(30, () -> order.add("30a"));
            loop.setTimeout(10, () -> order.add("10"));
            loop.setTimeout(30, () -> order.add("30b"));
            loop.setTimeout(30, () -> order.add("30c"));
            loop.setTimeout(20, () -> order.add("cancelled")).cancel();
            return null;
        });
        clock.advance(loop, Duration.ofMillis(29));
        assertThat(onLoop(() -> List.copyOf(order))).containsExactly("10");
        clock.advance(loop, Duration.ofMillis(1));
        assertThat(onLoop(() -> List.copyOf(order))).containsExactly("10", "30a", "30b", "30c");
    }

    @Test
    void aZeroTimeoutWaitsOneMillisecondLikeNode() {
        List<String> order = new ArrayList<>();
        onLoop(() -> loop.setTimeout(0, () -> order.add("zero")));
        clock.advance(loop, Duration.ofNanos(TimeUnit.MILLISECONDS.toNanos(1) - 1));
        assertThat(onLoop(() -> List.copyOf(order))).isEmpty();
        clock.advance(loop, Duration.ofNanos(1));
        assertThat(onLoop(() -> List.copyOf(order))).containsExactly("zero");
    }

    @Test
    void aLateIntervalRunsOnceThenKeepsItsPeriodWithoutCatchUpBursts() {
        List<Long> ticks = new ArrayList<>();
        Timer interval = onLoop(() -> loop.setInterval(Duration.ofMillis(10), () -> ticks.add(loop.now())));
        long start = clock.nanoTime();
        clock.advance(loop, Duration.ofMillis(55)); // five periods late: one run, not five
        assertThat(onLoop(() -> ticks.size())).isEqualTo(1);
        clock.advance(loop, Duration.ofMillis(9));
        assertThat(onLoop(() -> ticks.size())).isEqualTo(1);
        clock.advance(loop, Duration.ofMillis(1)); // one period after the late run
        assertThat(onLoop(() -> List.copyOf(ticks))).containsExactly(start + ms(55), start + ms(65));
        onLoop(() -> {
            interval.cancel(); // on the loop: from elsewhere a cancel hops and may arrive late
            return null;
        });
        clock.advance(loop, Duration.ofMillis(100));
        assertThat(onLoop(() -> ticks.size())).isEqualTo(2);
    }

    @Test
    void lagIsHowLateATimerRanByTheLoopClock() {
        onLoop(() -> loop.setTimeout(10, () -> { }));
        clock.advance(loop, Duration.ofMillis(25));
        assertThat(onLoop(() -> loop.lag().count())).isEqualTo(1);
        assertThat(onLoop(() -> loop.lag().max())).isEqualTo(ms(15));
    }

    @Test
    void hundredThousandPendingTimersAreCheapToScheduleCancelAndFire() {
        int[] count = {0};
        onLoop(() -> {
            int n = 100_000;
            Timer[] timers = new Timer[n];
            for (int i = 0; i < n; i++) {
                timers[i] = loop.setTimeout(Duration.ofMillis(50 + (i % 100)), () -> count[0]++);
            }
            for (int i = 0; i < n; i += 2) {
                timers[i].cancel();
            }
            return null;
        });
        clock.advance(loop, Duration.ofMillis(149));
        assertThat(onLoop(() -> count[0])).isEqualTo(50_000);
    }

    static long ms(long n) {
        return TimeUnit.MILLISECONDS.toNanos(n);
    }
}
