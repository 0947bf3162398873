package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.testing.WatchdogExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The extension that fails a test whose loops blocked is itself a test that can fail. */
class WatchdogExtensionTest {
    @Test
    void aLoopBlockedWithTheDefaultSinkFailsTheTest() {
        LoopOptions opts = LoopOptions.builder().loops(1).blockedThreshold(Duration.ofMillis(20)).build();
        try (LoopGroup g = LoopGroup.create(opts)) {
            CompletableFuture<Void> unblock = new CompletableFuture<>();
            g.loop(0).execute("slow-handler", () -> {
                // Hold the loop until the watchdog has reported it (no sleeping, no timing guess).
                while (g.watchdogReports() == 0) {
                    Thread.onSpinWait();
                }
                unblock.complete(null);
            });
            unblock.join();
        }
        // Closing the group joined its watchdog: the report has been delivered by now.
        assertThatThrownBy(WatchdogExtension::check).isInstanceOf(AssertionError.class)
                .hasMessageContaining("slow-handler").hasMessageContaining("blocked");
        WatchdogExtension.check(); // consumed: the real afterEach must pass
    }

    @Test
    void aGroupWithItsOwnSinkHandlesItsReportsItself() {
        CompletableFuture<BlockedLoopReport> mine = new CompletableFuture<>();
        LoopOptions opts = LoopOptions.builder().loops(1).blockedThreshold(Duration.ofMillis(20))
                .onBlocked(mine::complete).build();
        try (LoopGroup g = LoopGroup.create(opts)) {
            g.loop(0).execute("expected-block", mine::join);
            assertThat(mine.join().handler()).isEqualTo("expected-block");
        }
        WatchdogExtension.check();
    }
}
