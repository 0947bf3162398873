package io.eventide.bus.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * Where the Kafka cluster is and how the bridge uses it.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>bootstrapServers</td><td>{@code 127.0.0.1:9092}</td></tr>
 *   <tr><td>maxPendingSends</td><td>{@value #DEFAULT_MAX_PENDING_SENDS}: sends accepted and not yet
 *       acknowledged; past it a send fails with {@code OverloadException}</td></tr>
 *   <tr><td>partitions, replicationFactor</td><td>3, 1: of the topics the bridge creates</td></tr>
 *   <tr><td>producer, consumer</td><td>extra client properties (the bridge's own settings win:
 *       {@code acks=all}, idempotence, manual commits)</td></tr>
 * </table>
 *
 * @param bootstrapServers {@code host:port,...}
 * @param maxPendingSends bound of accepted, unacknowledged sends
 * @param partitions partitions of created topics
 * @param replicationFactor replication of created topics
 * @param producer extra producer properties
 * @param consumer extra consumer properties
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record KafkaOptions(String bootstrapServers, int maxPendingSends, int partitions, short replicationFactor,
        Map<String, Object> producer, Map<String, Object> consumer) {
    /** Default bound of unacknowledged sends. */
    public static final int DEFAULT_MAX_PENDING_SENDS = 8192;

    /** Validates and copies. */
    public KafkaOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (maxPendingSends < 1 || partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("maxPendingSends, partitions and replicationFactor must be >= 1");
        }
        producer = Map.copyOf(producer);
        consumer = Map.copyOf(consumer);
    }

    /** @return the defaults: a broker on 127.0.0.1:9092 */
    public static KafkaOptions defaults() {
        return new KafkaOptions("127.0.0.1:9092", DEFAULT_MAX_PENDING_SENDS, 3, (short) 1, Map.of(), Map.of());
    }

    /** @param servers {@code host:port,...} @return a copy */
    public KafkaOptions bootstrapServers(String servers) {
        return new KafkaOptions(servers, maxPendingSends, partitions, replicationFactor, producer, consumer);
    }

    /** @param n bound of unacknowledged sends @return a copy */
    public KafkaOptions maxPendingSends(int n) {
        return new KafkaOptions(bootstrapServers, n, partitions, replicationFactor, producer, consumer);
    }

    /** @param n partitions of created topics @return a copy */
    public KafkaOptions partitions(int n) {
        return new KafkaOptions(bootstrapServers, maxPendingSends, n, replicationFactor, producer, consumer);
    }

    /** @param props extra producer properties @return a copy */
    public KafkaOptions producer(Map<String, Object> props) {
        return new KafkaOptions(bootstrapServers, maxPendingSends, partitions, replicationFactor, props, consumer);
    }

    /** @param props extra consumer properties @return a copy */
    public KafkaOptions consumer(Map<String, Object> props) {
        return new KafkaOptions(bootstrapServers, maxPendingSends, partitions, replicationFactor, producer, props);
    }
}
