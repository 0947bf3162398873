package io.eventide.bus.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.bus.Bus;
import io.eventide.bus.testing.BusTesting;
import io.eventide.bus.testing.Chaos;
import io.eventide.core.LoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * NATS chaos: the server process is stopped by PID and started again with its own command line at a
 * third of the stream (left running as found), the consumer process killed with {@code kill -9} at
 * two thirds; nothing acknowledged is lost.
 */
class NatsChaosIT {
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a broker restart and a 100,000-message run (chaos.sh)
    void serverRestartAndConsumerKillLoseNothingAcknowledged() throws Exception {
        NatsTesting.ensureServer();
        LoopGroup group = BusTesting.group(1);
        NatsTransport nats = NatsTransport.create(NatsOptions.defaults().maxPendingSends(4096));
        Bus bus = Bus.create(group).bridge("", nats);
        String subject = BusTesting.unique("eventide.chaos").replace('-', '_');
        try {
            Chaos.Result r = new Chaos("nats", NatsChaosConsumer.class, List.of()).run(bus, group.loop(0), subject,
                    NatsTesting::restart);
            assertThat(r.uniqueProcessed()).isEqualTo(r.acknowledged());
        } finally {
            NatsTesting.ensureServer();
            NatsTesting.await("the bridge reconnected", 60, () -> !nats.isBlocked());
            nats.deleteStream(subject);
            bus.closeAsync().join();
            group.close(Duration.ofSeconds(5)).join();
        }
        BusTesting.assertNoWatchdogReports(group);
    }
}
