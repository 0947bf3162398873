package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromiseTest {
    final List<Throwable> unhandled = new CopyOnWriteArrayList<>();
    LoopGroup group;
    EventLoop loop;

    @BeforeEach
    void setUp() {
        // The million-step tests hold a loop for one long microtask drain by design (that is what
        // they measure: no stack overflow), so this group takes its own watchdog reports.
        group = LoopGroup.create(LoopOptions.builder().loops(2).onUnhandledRejection(unhandled::add)
                .onBlocked(report -> { }).build());
        loop = group.loop(0);
    }

    @AfterEach
    void tearDown() {
        group.close(Duration.ofSeconds(5)).join();
    }

    @Test
    void joinOnASettledPromiseWorksAfterItsLoopHasStopped() {
        // Host.drain().join() raced the group's close: join hopped to a loop that had terminated.
        LoopGroup other = LoopGroup.create(LoopOptions.builder().loops(1).onUnhandledRejection(t -> { }).build());
        Promise<String> ok = other.loop(0).promise();
        Promise<String> failed = other.loop(0).promise();
        ok.resolve("done");
        failed.reject(new IllegalStateException("boom"));
        other.close(Duration.ofSeconds(5)).join();
        assertThat(ok.join()).isEqualTo("done");
        assertThatThrownBy(failed::join).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }

    @Test
    void mapFlatMapAndThenRunOnTheOwningLoop() {
        Promise<Integer> p = loop.promise();
        Promise<String> out = p.map(x -> x + 1)
                .then(x -> assertThat(loop.inLoop()).isTrue())
                .flatMap(x -> group.loop(1).<Integer>offload(() -> x * 10))
                .map(x -> loop.inLoop() + ":" + x);
        Thread.ofPlatform().start(() -> p.resolve(1));
        assertThat(out.join()).isEqualTo("true:20");
    }

    @Test
    void reactionsNeverRunInTheSettlersStack() {
        CompletableFuture<String> order = new CompletableFuture<>();
        loop.execute(() -> {
            StringBuilder sb = new StringBuilder();
            Promise<String> p = loop.promise();
            p.onSuccess(v -> {
                sb.append(v);
                order.complete(sb.toString());
            });
            p.resolve("reaction");
            sb.append("settler,");
        });
        assertThat(order.join()).isEqualTo("settler,reaction");
    }

    @Test
    void failuresPropagateAndRecover() {
        Promise<Integer> p = Promise.failed(loop, new IllegalArgumentException("bad"));
        Promise<Integer> mapped = p.map(x -> x + 1);
        assertThatThrownBy(mapped::join).isInstanceOf(IllegalArgumentException.class).hasMessage("bad");
        assertThat(p.recover(t -> 42).join()).isEqualTo(42);
        assertThat(p.recoverWith(t -> Promise.resolved(loop, 7)).join()).isEqualTo(7);
        Promise<Integer> thrown = Promise.resolved(loop, 1).map(x -> {
            throw new IllegalStateException("in map");
        });
        assertThatThrownBy(thrown::join).hasMessage("in map");
    }

    @Test
    void whenCompleteSeesBothOutcomes() {
        CompletableFuture<String> seen = new CompletableFuture<>();
        Promise.failed(loop, new RuntimeException("x")).whenComplete((v, e) -> seen.complete(v + "/" + e.getMessage()));
        assertThat(seen.join()).isEqualTo("null/x");
    }

    @Test
    void aMillionStepChainDoesNotOverflowTheStack() {
        int steps = 1_000_000;
        CompletableFuture<Promise<Integer>> built = new CompletableFuture<>();
        Promise<Integer> root = loop.promise();
        loop.execute(() -> {
            Promise<Integer> q = root;
            for (int i = 0; i < steps; i++) {
                q = q.map(x -> x + 1);
            }
            built.complete(q);
        });
        Promise<Integer> last = built.join();
        root.resolve(0);
        assertThat(last.join()).isEqualTo(steps);
    }

    @Test
    void aMillionNestedFlatMapsDoNotOverflowTheStack() {
        assertThat(countDown(1_000_000).join()).isEqualTo("done");
    }

    private Promise<String> countDown(int n) {
        return n == 0 ? Promise.resolved(loop, "done") : Promise.resolved(loop, n).flatMap(x -> countDown(x - 1));
    }

    @Test
    void combinators() {
        Promise<Integer> a = loop.promise();
        Promise<Integer> b = group.loop(1).promise();
        Promise<List<Integer>> all = Promise.all(loop, List.of(a, b));
        Promise<Integer> race = Promise.race(loop, List.of(a, b));
        Promise<Integer> any = Promise.any(loop, List.of(Promise.failed(loop, new RuntimeException("1")), b));
        b.resolve(2);
        a.resolve(1);
        assertThat(all.join()).containsExactly(1, 2);
        assertThat(race.join()).isIn(1, 2);
        assertThat(any.join()).isEqualTo(2);
        Promise<Integer> none = Promise.any(loop, List.of(Promise.failed(loop, new RuntimeException("x")),
                Promise.failed(loop, new RuntimeException("y"))));
        assertThatThrownBy(none::join).satisfies(t -> assertThat(t.getSuppressed()).hasSize(2));
        Promise<List<Integer>> failedAll = Promise.all(loop, List.of(Promise.resolved(loop, 1),
                Promise.<Integer>failed(loop, new RuntimeException("second"))));
        assertThatThrownBy(failedAll::join).hasMessage("second");
    }

    @Test
    void timeoutRejectsWithADeadlineError() {
        Promise<String> never = loop.promise();
        assertThatThrownBy(() -> never.timeout(Duration.ofMillis(20)).join())
                .isInstanceOf(DeadlineExceededException.class);
        Promise<String> soon = Promise.resolved(loop, "ok");
        assertThat(soon.timeout(Duration.ofSeconds(5)).join()).isEqualTo("ok");
    }

    @Test
    void bridgesToAndFromCompletionStage() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Promise<String> p = Promise.from(loop, cf);
        cf.complete("from-cf");
        assertThat(p.join()).isEqualTo("from-cf");
        assertThat(Promise.resolved(loop, 5).toCompletableFuture().join()).isEqualTo(5);
    }

    @Test
    void joinOnALoopThreadIsRefused() {
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                Promise.resolved(loop, 1).join();
                seen.complete(null);
            } catch (Throwable t) {
                seen.complete(t);
            }
        });
        assertThat(seen.join()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unhandledRejectionIsReportedAndHandledOneIsNot() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            Promise.failed(loop, new RuntimeException("nobody listens"));
            Promise.failed(loop, new RuntimeException("handled")).onFailure(t -> { });
            loop.setTimeout(5, () -> done.complete(null));
        });
        done.join();
        assertThat(unhandled).extracting(Throwable::getMessage).containsExactly("nobody listens");
    }

    @Test
    void settlingTwiceIsIgnored() {
        Promise<String> p = loop.promise();
        assertThat(p.resolve("a")).isTrue();
        assertThat(p.resolve("b")).isFalse();
        assertThat(p.reject(new RuntimeException())).isFalse();
        assertThat(p.join()).isEqualTo("a");
    }
}
