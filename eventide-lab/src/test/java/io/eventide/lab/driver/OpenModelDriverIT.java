package io.eventide.lab.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The open-model driver against servers whose answer is known. Only what holds however loaded the
 * machine is is asserted (issue 18: these asserted wall-clock figures, such as a mean under 40 ms
 * and a rate within 10%, which a busy CI machine breaks): counts follow from the schedule, which an
 * open model keeps by intended send times; latencies have lower bounds (the server's own delay),
 * never upper ones; Little's law is checked against the rate achieved, not the one asked for.
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
            assertThat(r.latency().meanMs()).isGreaterThanOrEqualTo(20.0);
            assertThat(r.latency().p50Ms()).isGreaterThanOrEqualTo(20.0);
            // Little's law: requests in the system = throughput x time in the system, within 10%;
            // the left side is integrated over time, independently of the latency record.
            double expected = r.achievedRps() * r.latency().meanMs() / 1000;
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
