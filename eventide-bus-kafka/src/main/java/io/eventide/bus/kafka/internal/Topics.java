package io.eventide.bus.kafka.internal;

import io.eventide.bus.kafka.KafkaOptions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The bridge's admin client: creates topics on first use (partitions and replication from the
 * options) and reads consumer lag for {@code depth}.
 *
 * <p><b>Threading:</b> any thread, but every method blocks on the cluster: the bridge's own
 * threads only, never a loop.
 */
public final class Topics implements AutoCloseable {
    private final KafkaOptions options;
    private final Admin admin;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /** @param options cluster and topic settings */
    public Topics(KafkaOptions options) {
        this.options = options;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "eventide-admin");
        this.admin = Admin.create(p);
    }

    /**
     * @param topic created with the configured partitions unless it exists
     * @throws KafkaException if the cluster cannot be reached within 10 s or refuses
     */
    public void ensure(String topic) {
        if (known.contains(topic)) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, options.partitions(), options.replicationFactor())))
                    .all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted creating topic " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaException("cluster did not answer within 10 s creating topic " + topic, e);
        }
        known.add(topic);
    }

    /**
     * @param topic a topic
     * @param group a consumer group
     * @return records of {@code topic} after the group's committed offsets (its lag)
     * @throws Exception if the cluster cannot answer
     */
    public long lag(String topic, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> ask = new java.util.HashMap<>();
        for (int i = 0; i < partitions; i++) {
            ask.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    /**
     * @param topic deleted (tests and tools)
     * @throws Exception if the cluster refuses
     */
    public void delete(String topic) throws Exception {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        known.remove(topic);
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
