package io.eventide.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.bus.Bus;
import io.eventide.bus.testing.BusTesting;
import io.eventide.bus.testing.Chaos;
import io.eventide.core.LoopGroup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kafka chaos: the embedded broker is shut down and started again (same ports, same log directory)
 * at a third of the stream, the consumer process killed with {@code kill -9} at two thirds; nothing
 * acknowledged is lost.
 */
class KafkaChaosIT {
    @Test
    void brokerRestartAndConsumerKillLoseNothingAcknowledged() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka().start()) {
            LoopGroup group = BusTesting.group(1);
            KafkaTransport transport = KafkaTransport.create(KafkaOptions.defaults().bootstrapServers(kafka.bootstrapServers())
                    .maxPendingSends(4096));
            Bus bus = Bus.create(group).bridge("", transport);
            String topic = BusTesting.unique("eventide-chaos");
            try {
                Chaos.Result r = new Chaos("kafka", KafkaChaosConsumer.class, List.of(kafka.bootstrapServers()))
                        .run(bus, group.loop(0), topic, () -> {
                            kafka.stop();
                            kafka.start();
                        });
                assertThat(r.uniqueProcessed()).isEqualTo(r.acknowledged());
            } finally {
                bus.closeAsync().join();
                group.close(Duration.ofSeconds(5)).join();
            }
            BusTesting.assertNoWatchdogReports(group);
        }
    }
}
