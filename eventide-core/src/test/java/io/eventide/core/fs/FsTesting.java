package io.eventide.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A one-loop group for file tests, with every uncaught error and unhandled rejection collected. */
final class FsTesting implements AutoCloseable {
    final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    final LoopGroup group;
    /** Buffers out before this test: a deliberate leak elsewhere in the JVM (BufferLeakCheckTest) stays out. */
    private final long outstandingBefore;
    final EventLoop loop;
    final FileSystem fs;

    FsTesting(String name) {
        outstandingBefore = BufferPool.outstandingTotal();
        group = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix(name)
                .onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        loop = group.loop(0);
        fs = FileSystem.of(loop);
    }

    /** Runs {@code body} on the loop (streams are loop-confined) and waits for the promise it returns. */
    <T> T onLoop(Supplier<Promise<T>> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                body.get().whenComplete((v, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(v);
                    }
                });
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Starts the call on the loop and attaches the reaction in the same callback: a failure that
     * lands before a test thread could attach would otherwise count as an unhandled rejection.
     *
     * @return the failure; fails the test if the call succeeded
     */
    Throwable failure(Supplier<? extends Promise<?>> call) {
        Throwable t = onLoop(() -> call.get().map(v -> (Throwable) null).recover(e -> e));
        assertThat(t).as("expected the call to fail").isNotNull();
        return t;
    }

    /** @return the FsException the call failed with */
    FsException fsFailure(Supplier<? extends Promise<?>> call) {
        Throwable t = failure(call);
        assertThat(t).as("expected an FsException").isInstanceOf(FsException.class);
        return (FsException) t;
    }

    FsException.Code code(Supplier<? extends Promise<?>> call) {
        return fsFailure(call).code();
    }

    @Override
    public void close() {
        try {
            group.close(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("loop group did not close", e);
        }
        assertThat(BufferPool.outstandingTotal() - outstandingBefore).as("pooled buffers still out after close")
                .isZero();
        assertThat(uncaught).as("uncaught errors and unhandled rejections").isEmpty();
    }
}
