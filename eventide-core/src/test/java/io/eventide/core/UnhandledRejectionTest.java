package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, defect 9: a rejection that only {@code onSuccess} observes is unhandled, as in Node,
 * where {@code p.then(f)} leaves a rejection of {@code p} unhandled unless something catches it.
 * The README's own pattern {@code offload(...).onSuccess(res::end)} lost failures silently.
 */
class UnhandledRejectionTest {
    final List<Throwable> unhandled = new CopyOnWriteArrayList<>();
    LoopGroup group;
    EventLoop loop;

    @BeforeEach
    void start() {
        group = LoopGroup.create(LoopOptions.builder().loops(1).onUnhandledRejection(unhandled::add).build());
        loop = group.loop(0);
    }

    @AfterEach
    void stop() {
        group.close(Duration.ofSeconds(2)).join();
    }

    /**
     * Runs {@code body} on the loop, then waits until an immediate queued after it, and a task after
     * that, ran: an immediate {@code body} queued has run by then, and the rejections it caused were
     * reported (right after its callback). Tasks alone are no barrier: a task queued from this
     * thread while the loop still drains its task queue runs in the same pass, before the
     * immediates, which made onSuccessAloneOnALaterRejectionIsReported flaky.
     */
    private void onLoop(Runnable body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(body);
        loop.execute(() -> loop.setImmediate(() -> loop.execute(() -> done.complete(null))));
        done.join();
    }

    @Test
    void aRejectionSeenOnlyByOnSuccessIsReported() {
        onLoop(() -> Promise.<String>failed(loop, new IllegalStateException("report failed")).onSuccess(v -> { }));
        assertThat(unhandled).extracting(Throwable::getMessage).containsExactly("report failed");
    }

    @Test
    void aRejectionOfAnOffloadSeenOnlyByOnSuccessIsReported() throws Exception {
        CompletableFuture<Void> reacted = new CompletableFuture<>();
        loop.execute(() -> loop.<String>offload(() -> {
            throw new IllegalStateException("worker failed");
        }).onSuccess(v -> { }).whenComplete((v, e) -> reacted.complete(null)));
        reacted.join();
        onLoop(() -> { });
        assertThat(unhandled).isEmpty(); // whenComplete observed it: handled
    }

    @Test
    void onSuccessThenOnFailureIsHandled() {
        onLoop(() -> Promise.<String>failed(loop, new IllegalStateException("seen")).onSuccess(v -> { })
                .onFailure(e -> { }));
        assertThat(unhandled).isEmpty();
    }

    @Test
    void onSuccessAloneOnALaterRejectionIsReported() {
        onLoop(() -> {
            Promise<String> p = loop.promise();
            p.onSuccess(v -> { });
            loop.setImmediate(() -> p.reject(new IllegalStateException("later")));
        });
        onLoop(() -> { });
        assertThat(unhandled).extracting(Throwable::getMessage).containsExactly("later");
    }
}
