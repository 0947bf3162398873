package io.eventide.bus.kafka;

import io.eventide.bus.testing.ChaosConsumer;

/** The consumer process of {@link KafkaChaosIT}: args {@code bootstrap topic file}. */
public final class KafkaChaosConsumer {
    private KafkaChaosConsumer() {
    }

    /** @param args bootstrap servers, topic, output file */
    public static void main(String[] args) throws Exception {
        // A killed member is noticed after session.timeout.ms: 6 s, not the default 45 s.
        ChaosConsumer.run(KafkaTransport.create(KafkaOptions.defaults().bootstrapServers(args[0])
                .consumer(java.util.Map.of("session.timeout.ms", 6000, "heartbeat.interval.ms", 1000))), args[1], args[2]);
    }
}
