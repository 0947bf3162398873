package io.eventide.core.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.Promise;
import io.eventide.core.Timer;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A name whose server takes 5 s to answer does not delay the loop: while the lookup is pending,
 * the loop keeps firing a 10 ms interval and answers other lookups, and its own lag histogram (how
 * late timers ran) stays far below the 5 s a blocking lookup would have cost. Counts and the
 * loop's own histogram are asserted, not wall-clock durations.
 */
class SlowLookupLoopLagIT {

    @Test
    void aFiveSecondLookupLeavesTheLoopFree() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start(); DnsTesting t = new DnsTesting("dns-lag")) {
            dns.a("slow.test", 60, "10.5.5.5").delay("slow.test", Duration.ofSeconds(5)).a("quick.test", 60, "10.6.6.6");
            try (DnsResolver r = DnsResolver.create(ResolverOptions.builder().resolvConf(null).hostsFile(null)
                    .nameservers(List.of(dns.address())).timeout(Duration.ofSeconds(10)).attempts(1).build())) {
                CompletableFuture<long[]> done = new CompletableFuture<>();
                t.loop.execute(() -> {
                    t.loop.lag().reset();
                    long[] ticks = {0};
                    long[] quickAtTick = {-1};
                    Timer interval = t.loop.setInterval(Duration.ofMillis(10), () -> ticks[0]++);
                    Promise<List<InetAddress>> slow = r.resolve(t.loop, "slow.test", StandardProtocolFamily.INET);
                    // Another lookup, started while the slow one is pending, completes meanwhile.
                    t.loop.setTimeout(100, () -> r.resolve(t.loop, "quick.test", StandardProtocolFamily.INET)
                            .onSuccess(a -> quickAtTick[0] = slow.isDone() ? -2 : ticks[0]));
                    slow.whenComplete((a, e) -> {
                        interval.cancel();
                        done.complete(new long[] {e == null ? a.size() : -1, ticks[0], quickAtTick[0],
                            t.loop.lag().max(), t.loop.lag().count()});
                    });
                });
                long[] got = done.get(30, TimeUnit.SECONDS);
                assertThat(got[0]).as("the slow name resolved").isEqualTo(1);
                assertThat(got[1]).as("10 ms interval firings while the 5 s lookup was pending").isGreaterThan(100);
                assertThat(got[2]).as("interval firings before the other lookup finished (it finished first)")
                        .isGreaterThanOrEqualTo(0);
                assertThat(got[4]).as("timer firings recorded in the lag histogram").isGreaterThan(100);
                assertThat(got[3]).as("worst loop lag in nanoseconds, from the loop's own histogram")
                        .isLessThan(TimeUnit.SECONDS.toNanos(1));
                assertThat(dns.count("udp A slow.test")).as("asked once, not retried").isEqualTo(1);
            }
        }
    }
}
