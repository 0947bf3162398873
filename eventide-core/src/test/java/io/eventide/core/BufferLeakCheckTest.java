package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.eventide.core.testing.BufferLeakCheck;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The leak check catches a real leak: a test whose loop terminates with a pooled buffer out fails
 * with a message naming the loop, and a clean test passes. The two run through JUnit's engine test
 * kit, as nested classes (surefire does not run nested classes on its own).
 */
class BufferLeakCheckTest {
    @Test
    void failsTheTestDuringWhichALoopTerminatedWithABufferOut() {
        long before = BufferPool.leakedTotal();
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Leaky.class)).execute()
                .testEvents();

        tests.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertThat(tests.failed().stream().findFirst().orElseThrow().getTestDescriptor().getDisplayName())
                .isEqualTo("forgetsABuffer()");
        assertThat(tests.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage())
                .contains("buffer leak: 1 pooled buffer(s)").containsPattern("leaky-\\S*0 terminated");
        assertThat(BufferPool.leakedTotal() - before).isEqualTo(1);
    }

    /** Run only through the kit above. */
    @ExtendWith(BufferLeakCheck.class)
    static class Leaky {
        @Test
        void forgetsABuffer() {
            LoopGroup g = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("leaky").build());
            CompletableFuture<ByteBuffer> held = new CompletableFuture<>();
            g.loop(0).execute(() -> held.complete(g.loop(0).buffers().acquire()));
            held.join();
            g.close();
        }

        @Test
        void releasesItsBuffer() {
            LoopGroup g = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("tidy").build());
            CompletableFuture<Void> done = new CompletableFuture<>();
            g.loop(0).execute(() -> {
                BufferPool pool = g.loop(0).buffers();
                pool.release(pool.acquire());
                done.complete(null);
            });
            done.join();
            g.close();
        }
    }
}
