package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLoopTest {
    LoopGroup group;
    EventLoop loop;

    @BeforeEach
    void setUp() {
        group = LoopGroup.create(LoopOptions.builder().loops(2).build());
        loop = group.loop(0);
    }

    @AfterEach
    void tearDown() {
        group.close(Duration.ofSeconds(5)).join();
    }

    @Test
    void tasksFromManyThreadsRunOnTheLoopInPerProducerOrder() throws Exception {
        int producers = 4;
        int perProducer = 50_000;
        int[][] seen = new int[producers][1];
        List<String> wrongThread = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(producers * perProducer);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int expected = i;
                    loop.execute(() -> {
                        if (!loop.inLoop()) {
                            wrongThread.add(Thread.currentThread().getName());
                        }
                        if (seen[id][0] == expected) {
                            seen[id][0]++;
                        }
                        done.countDown();
                    });
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        for (int p = 0; p < producers; p++) {
            assertThat(seen[p][0]).as("in-order count of producer %d", p).isEqualTo(perProducer);
        }
        assertThat(wrongThread).isEmpty();
        assertThat(loop.inLoop()).isFalse();
    }

    @Test
    void aThrowingTaskDoesNotKillTheLoop() {
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        LoopGroup g = LoopGroup.create(LoopOptions.builder().loops(1).onUncaught(uncaught::add).build());
        try {
            EventLoop l = g.loop(0);
            l.execute(() -> {
                throw new IllegalStateException("boom");
            });
            CompletableFuture<String> after = new CompletableFuture<>();
            l.execute(() -> after.complete("still running"));
            assertThat(after.join()).isEqualTo("still running");
            assertThat(uncaught).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
        } finally {
            g.close(Duration.ofSeconds(5)).join();
        }
    }

    @Test
    void currentNamesTheLoopOnlyOnItsThread() {
        assertThat(EventLoop.current()).isNull();
        CompletableFuture<EventLoop> seen = new CompletableFuture<>();
        loop.execute(() -> seen.complete(EventLoop.current()));
        assertThat(seen.join()).isSameAs(loop);
    }

    @Test
    void executeAfterTerminationIsRefused() {
        LoopGroup g = LoopGroup.create(1);
        EventLoop l = g.loop(0);
        g.close(Duration.ofSeconds(5)).join();
        assertThatThrownBy(() -> l.execute(() -> { })).isInstanceOf(LoopClosedException.class);
    }

    @Test
    void lagHistogramIsFedByTimers() {
        CompletableFuture<Long> count = new CompletableFuture<>();
        loop.execute(() -> loop.setTimeout(5, () -> loop.setTimeout(5, () -> count.complete(loop.lag().count()))));
        assertThat(count.join()).isGreaterThanOrEqualTo(1);
    }
}
