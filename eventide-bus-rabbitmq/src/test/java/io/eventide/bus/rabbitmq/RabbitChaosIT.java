package io.eventide.bus.rabbitmq;

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
 * RabbitMQ chaos: {@code rabbitmqctl stop_app}/{@code start_app} at a third of the stream, a
 * {@code kill -9} of the consumer process at two thirds; nothing acknowledged is lost.
 */
class RabbitChaosIT {
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a broker restart and a 100,000-message run (chaos.sh)
    void brokerRestartAndConsumerKillLoseNothingAcknowledged() throws Exception {
        RabbitTesting.ensureBroker();
        LoopGroup group = BusTesting.group(1);
        RabbitTransport rabbit = RabbitTransport.create(RabbitOptions.defaults().maxPendingSends(4096));
        Bus bus = Bus.create(group).bridge("", rabbit);
        String queue = BusTesting.unique("eventide-chaos");
        try {
            Chaos.Result r = new Chaos("rabbitmq", RabbitChaosConsumer.class, List.of()).run(bus, group.loop(0), queue, () -> {
                RabbitTesting.ctl("stop_app");
                RabbitTesting.ctl("start_app");
                RabbitTesting.ctl("await_startup");
            });
            assertThat(r.uniqueProcessed()).isEqualTo(r.acknowledged());
            assertThat(rabbit.publisherConnects()).as("the publisher reconnected after the restart").isGreaterThan(1);
        } finally {
            rabbit.deleteQueue(queue);
            bus.closeAsync().join();
            group.close(Duration.ofSeconds(5)).join();
        }
        BusTesting.assertNoWatchdogReports(group);
    }
}
