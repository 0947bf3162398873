package io.eventide.lab.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The open-model driver against servers whose answer is known. The only timing assertions of the
 * lab's tests live here, because they are the point: the driver must measure what the server does.
 */
class OpenModelDriverIT {

    @Test
    void againstAFixedDelayServerItMeasuresLittlesLaw() throws Exception {
        try (FixedDelayServer server = new FixedDelayServer(20, -1, 0)) {
            OpenModelResult r = OpenModelDriver.run(new OpenModelDriver.Config("127.0.0.1", server.port(), 16, 200,
                    Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(2),
                    List.of(new OpenModelDriver.Target("a", "/delay", 3), new OpenModelDriver.Target("b", "/delay", 1)),
                    7));

            assertThat(r.errors() + r.lost() + r.incomplete()).isZero();
            // 200/s for 3 s: about 600 requests measured, each at least the server's 20 ms.
            assertThat(r.latency().count()).isBetween(590L, 610L);
            assertThat(r.latency().meanMs()).isBetween(20.0, 40.0);
            assertThat(r.latency().p50Ms()).isGreaterThanOrEqualTo(20.0);
            // An open model keeps its rate: throughput within 10% of what was offered.
            assertThat(r.achievedRps()).isCloseTo(200.0, within(20.0));
            // Little's law: requests in the system = arrival rate x time in the system, within 10%;
            // the left side is integrated over time, independently of the latency record.
            double expected = 200 * r.latency().meanMs() / 1000;
            assertThat(r.meanOutstanding()).isCloseTo(expected, within(expected * 0.10));
            // The mix follows its weights (3:1), reproducibly from the seed.
            long a = r.byLabel().get("a").count();
            long b = r.byLabel().get("b").count();
            assertThat(a + b).isEqualTo(r.latency().count());
            assertThat((double) a / b).isBetween(2.4, 3.8);
        }
    }

    @Test
    void aStallCountsForEveryRequestQueuedBehindIt() throws Exception {
        // One connection, 100 req/s; the 150th request (1 s into the window) is held 300 ms. A closed
        // loop would record one slow request out of ~300 (p99 unaffected); measured from the intended
        // send times, the ~30 requests due during the stall are all late, by up to 300 ms.
        try (FixedDelayServer server = new FixedDelayServer(0, 150, 300)) {
            OpenModelResult r = OpenModelDriver.run(new OpenModelDriver.Config("127.0.0.1", server.port(), 1, 100,
                    Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(2),
                    List.of(new OpenModelDriver.Target("fast", "/fast", 1)), 1));

            assertThat(r.incomplete()).isZero();
            assertThat(r.latency().count()).isBetween(295L, 305L);
            assertThat(r.latency().maxMs()).isGreaterThanOrEqualTo(290.0);
            assertThat(r.latency().p99Ms()).isGreaterThanOrEqualTo(200.0);
            assertThat(r.latency().p90Ms()).isGreaterThan(r.latency().p50Ms());
            assertThat(r.achievedRps()).isCloseTo(100.0, within(10.0));
        }
    }

    @Test
    void anUnreachableServerIsAnErrorNotAnEmptyResult() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenModelDriver.run(new OpenModelDriver.Config(
                "127.0.0.1", 1, 1, 10, Duration.ZERO, Duration.ofMillis(100), Duration.ZERO,
                List.of(new OpenModelDriver.Target("x", "/", 1)), 1)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("could not connect");
    }
}
