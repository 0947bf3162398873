package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class WorkersTest {
    @Test
    void offloadRunsOnAWorkerAndResolvesOnTheCallersLoop() {
        try (LoopGroup g = LoopGroup.create(1)) {
            EventLoop loop = g.loop(0);
            CompletableFuture<String> where = new CompletableFuture<>();
            loop.offload(() -> Thread.currentThread().getName())
                    .onSuccess(worker -> where.complete(worker + " -> " + (loop.inLoop() ? "loop" : "elsewhere")));
            assertThat(where.join()).contains("-worker-").endsWith("-> loop");
        }
    }

    @Test
    void aFullQueueRejectsWithOverloadInsteadOfGrowing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LoopGroup g = LoopGroup.create(LoopOptions.builder().loops(1).workers(1, 2).build())) {
            EventLoop loop = g.loop(0);
            List<Promise<Integer>> ps = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                ps.add(loop.offload(() -> {
                    release.await();
                    return n;
                }));
            }
            // 1 running + 2 queued fit; the other two are refused at once.
            assertThatThrownBy(() -> ps.get(4).join()).isInstanceOf(OverloadException.class)
                    .hasMessageContaining("worker-queue = 2");
            assertThatThrownBy(() -> ps.get(3).join()).isInstanceOf(OverloadException.class);
            assertThat(g.workers().rejected()).isEqualTo(2);
            release.countDown();
            assertThat(ps.get(0).join()).isZero();
            assertThat(ps.get(2).join()).isEqualTo(2);
        }
    }

    @Test
    void aThrowingJobRejectsItsPromise() {
        try (LoopGroup g = LoopGroup.create(1)) {
            Promise<Object> p = g.loop(0).offload(() -> {
                throw new java.io.IOException("disk on fire");
            });
            assertThatThrownBy(() -> p.join(Duration.ofSeconds(10))).hasMessageContaining("disk on fire");
        }
    }
}
