package io.eventide.bus.kafka;

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
 * Kafka chaos: the embedded broker is shut down and started again (same ports, same log directory)
 * at a third of the stream, the consumer process killed with {@code kill -9} at two thirds; nothing
 * acknowledged is lost.
 */
class KafkaChaosIT {
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a broker restart and a 100,000-message run (chaos.sh)
    void brokerRestartAndConsumerKillLoseNothingAcknowledged() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka().start()) {
            LoopGroup group = BusTesting.group(1);
            // After the restart the idempotent producer can find the broker's sequence state ahead of
            // its own (OutOfOrderSequenceException) and recovers only once its stuck batches expire:
            // 30 s here instead of the default 2 min; the harness re-sends them with the same ids.
            KafkaTransport transport = KafkaTransport.create(KafkaOptions.defaults().bootstrapServers(kafka.bootstrapServers())
                    .maxPendingSends(4096).producer(java.util.Map.of("delivery.timeout.ms", 30_000, "request.timeout.ms", 10_000)));
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
