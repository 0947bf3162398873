package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class WatchdogTest {
    @Test
    void aBlockedTaskIsReportedOnceWithItsHandlerNameAndStack() throws Exception {
        CompletableFuture<BlockedLoopReport> report = new CompletableFuture<>();
        LoopOptions opts = LoopOptions.builder().loops(1).blockedThreshold(Duration.ofMillis(20))
                .onBlocked(report::complete).build();
        try (LoopGroup g = LoopGroup.create(opts)) {
            CountDownLatch unblocked = new CountDownLatch(1);
            // The task blocks until the watchdog has reported it: no sleep, no timing assumption.
            g.loop(0).execute("render-report-handler", () -> {
                report.join();
                unblocked.countDown();
            });
            BlockedLoopReport r = report.join();
            unblocked.await();
            assertThat(r.handler()).isEqualTo("render-report-handler");
            assertThat(r.loopName()).isEqualTo(g.loop(0).name());
            assertThat(r.blockedFor()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            assertThat(r.stack()).anySatisfy(e -> assertThat(e.getClassName()).contains("WatchdogTest"));
            assertThat(r.describe()).contains("render-report-handler");
            CompletableFuture<Long> reports = new CompletableFuture<>();
            g.loop(0).execute(() -> reports.complete(g.watchdogReports()));
            assertThat(reports.join()).isEqualTo(1);
        }
    }

    @Test
    void aBlockingIoCallbackIsReportedToo() throws Exception {
        // I/O callbacks run inside Selector.select(...): the loop must not look idle while they do.
        CompletableFuture<BlockedLoopReport> report = new CompletableFuture<>();
        LoopOptions opts = LoopOptions.builder().loops(1).blockedThreshold(Duration.ofMillis(20))
                .onBlocked(report::complete).build();
        try (LoopGroup g = LoopGroup.create(opts)) {
            io.eventide.core.net.TcpServer server = io.eventide.core.net.TcpServer.create(g,
                    io.eventide.core.net.TcpOptions.defaults(), c -> c.onData(buf -> {
                        buf.position(buf.limit());
                        report.join(); // blocks this I/O callback until the watchdog reported it
                    }));
            server.listen("127.0.0.1", 0).join();
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(1);
                assertThat(report.join().handler()).startsWith("tcp#");
            }
        }
    }

    @Test
    void aBlockingPromiseReactionIsReportedWithTheHandlerThatRanIt() throws Exception {
        // Promise reactions run from the microtask queue drained right after the handler returns;
        // the report must still name that handler, not "(loop internals)".
        CompletableFuture<BlockedLoopReport> report = new CompletableFuture<>();
        LoopOptions opts = LoopOptions.builder().loops(1).blockedThreshold(Duration.ofMillis(20))
                .onBlocked(report::complete).build();
        try (LoopGroup g = LoopGroup.create(opts)) {
            CountDownLatch unblocked = new CountDownLatch(1);
            g.loop(0).execute("checkout-handler", () -> Promise.resolved(g.loop(0), "order").then(v -> {
                report.join();
                unblocked.countDown();
            }));
            BlockedLoopReport r = report.join();
            unblocked.await();
            assertThat(r.handler()).isEqualTo("checkout-handler");
        }
    }

    @Test
    void lambdaHandlersAreNamedAfterTheirClass() {
        Runnable r = () -> { };
        assertThat(Watchdog.describe(r)).startsWith(WatchdogTest.class.getName()).endsWith("(lambda)");
    }
}
