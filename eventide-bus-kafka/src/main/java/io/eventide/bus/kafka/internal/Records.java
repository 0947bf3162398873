package io.eventide.bus.kafka.internal;

import io.eventide.bus.Message;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Conversions between bus messages and Kafka records: headers as UTF-8 record headers, the key
 * from the {@code kafka-key} header (else none: the sticky partitioner spreads the load).
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Records {
    /** Header whose value becomes the record key (ordering within a partition). */
    public static final String KEY = "kafka-key";

    private Records() {
    }

    /** @param topic the topic @param m the message @param id its id @return the record */
    public static ProducerRecord<byte[], byte[]> record(String topic, Message m, String id) {
        RecordHeaders h = new RecordHeaders();
        for (Map.Entry<String, String> e : m.headers().entrySet()) {
            if (!e.getKey().equals(Message.MESSAGE_ID)) {
                h.add(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        h.add(Message.MESSAGE_ID, id.getBytes(StandardCharsets.UTF_8));
        String key = m.header(KEY);
        return new ProducerRecord<>(topic, null, key == null ? null : key.getBytes(StandardCharsets.UTF_8), m.body(), h);
    }

    /** @param r a consumed record @return the message */
    public static Message message(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> h = new LinkedHashMap<>();
        for (Header x : r.headers()) {
            h.put(x.key(), x.value() == null ? "" : new String(x.value(), StandardCharsets.UTF_8));
        }
        return Message.wrap(h, r.value() == null ? new byte[0] : r.value());
    }
}
