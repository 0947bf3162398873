package io.eventide.bus.kafka.internal;

import io.eventide.bus.BusException;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Overflow;
import io.eventide.bus.kafka.KafkaOptions;
import io.eventide.bus.spi.BrokerDelivery;
import io.eventide.bus.spi.Inbox;
import io.eventide.core.EventLoop;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A Kafka consumer on its own poll thread, whose pace the loop sets: when the consumer's credit is
 * used up every assigned partition is paused (the thread keeps polling, so the group keeps it, but
 * fetches nothing), and resumed when handlers settle. Offsets are committed only after processing,
 * up to the last contiguous settled offset per partition ({@link Progress}); on a rebalance the
 * revoked partitions' progress is committed synchronously before they go to another member.
 *
 * <pre>
 *   poll thread: poll ─► records ─► Inbox.offer ─► loop: handler ─► promise settles
 *        ▲  pause/resume by inbox.credit()                          │
 *        └── commitAsync(contiguous settled) ◄── settled queue ◄────┘
 * </pre>
 *
 * Kafka has no per-record negative acknowledgement: a failed handler is reported to the loop's
 * uncaught sink and its record committed like the others (send it to a dead-letter topic from the
 * handler if it must not be lost).
 *
 * <p><b>Threading:</b> the {@link KafkaConsumer} is touched by the poll thread only (it is not
 * thread-safe), except {@code wakeup()}. The loop reports settled records through a concurrent queue.
 */
public final class Poller implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.eventide.bus.kafka");
    private static final Duration POLL = Duration.ofMillis(100);

    private record Done(TopicPartition tp, long offset) {
    }

    private final String topic;
    private final Topics topics;
    private final Map<String, Object> props;
    // Built on the poll thread (it takes a while, and consume() may be called on a loop); volatile for wakeup().
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private final Inbox<ConsumerRecord<byte[], byte[]>> inbox;
    private final ConcurrentLinkedQueue<Done> settled = new ConcurrentLinkedQueue<>();
    private final Map<TopicPartition, Progress> progress = new HashMap<>();
    private final Thread thread;
    private boolean paused;
    // Set by the poll thread before it polls with every partition paused; the loop clears it and
    // wakes the poll once half the credit is back, instead of letting it sleep out POLL.
    private final AtomicBoolean idleWhilePaused = new AtomicBoolean();
    private final LongAdder stalledPolls = new LongAdder();

    /**
     * @param options cluster and extra consumer properties
     * @param topics creates the topic if missing
     * @param loop where the handler runs
     * @param topic the topic
     * @param group the consumer group
     * @param latest whether a new group starts at the end (subscribers) or the beginning (queues)
     * @param o credit
     * @param handler the application's handler
     */
    public Poller(KafkaOptions options, Topics topics, EventLoop loop, String topic, String group, boolean latest,
            ConsumerOptions o, Handler handler) {
        this.topic = topic;
        this.topics = topics;
        Map<String, Object> p = new HashMap<>(options.consumer());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, latest ? "latest" : "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, o.credit());
        this.props = p;
        this.inbox = new Inbox<ConsumerRecord<byte[], byte[]>>(loop, topic,
                new ConsumerOptions(o.credit(), o.credit(), Overflow.REJECT, group), handler, this::settledOnLoop);
        this.inbox.onCredit(this::creditReturned);
        this.inbox.onCancel(() -> {
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        });
        this.thread = new Thread(this, "eventide-kafka-consumer-" + topic);
        this.thread.setDaemon(true);
    }

    /** @return the handle given to the application */
    public Inbox<ConsumerRecord<byte[], byte[]>> inbox() {
        return inbox;
    }

    /** @return polls that waited out their whole timeout with every partition paused; any thread */
    public long stalledPolls() {
        return stalledPolls.sum();
    }

    /** Starts polling. */
    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            ensureTopic();
            consumer.subscribe(List.of(topic), new Rebalance());
            while (inbox.isActive()) {
                applyCredit();
                idleWhilePaused.set(paused);
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    continue; // credit came back (or cancel(): the loop's condition ends it)
                } finally {
                    idleWhilePaused.set(false);
                }
                if (paused && records.isEmpty()) {
                    stalledPolls.increment();
                }
                deliver(records);
                commitSettled();
            }
        } catch (WakeupException e) {
            // cancel() woke a call other than poll: fall through to the final commit.
        } catch (KafkaException e) {
            inbox.loop().reportUncaught(new BusException("Kafka consumer of " + topic + " stopped: " + e.getMessage(), e));
        } finally {
            closeConsumer();
        }
    }

    private void ensureTopic() {
        while (inbox.isActive()) {
            try {
                topics.ensure(topic);
                return;
            } catch (KafkaException e) {
                LOG.log(Level.DEBUG, "topic " + topic + " not ready (" + e.getMessage() + "); retrying");
            }
        }
    }

    /**
     * On the loop, after each settled record. Without this, a consumer faster than its handlers
     * would fetch one credit's worth of records per POLL (100 ms): at 256 credits, about 2,560
     * records/s, whatever the handlers could do.
     */
    private void creditReturned() {
        if (inbox.credit() * 2 >= inbox.maxCredit() && idleWhilePaused.compareAndSet(true, false)) {
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }
    }

    private void applyCredit() {
        boolean full = inbox.credit() == 0;
        if (full && !paused) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (!full && paused) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private void deliver(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            Progress pr = progress.computeIfAbsent(tp, x -> new Progress());
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                BrokerDelivery d = new BrokerDelivery(topic, Records.message(r), inbox.loop(), false);
                if (!inbox.offer(d, r)) {
                    consumer.seek(tp, r.offset()); // no credit after all: fetch it again later
                    break;
                }
                pr.handed(r.offset());
            }
        }
    }

    private void settledOnLoop(ConsumerRecord<byte[], byte[]> r, Throwable failure) {
        if (failure != null) {
            inbox.loop().reportUncaught(new BusException("handler of " + topic + " failed on partition " + r.partition()
                    + " offset " + r.offset() + "; Kafka has no negative ack, the offset is committed", failure));
        }
        settled.add(new Done(new TopicPartition(r.topic(), r.partition()), r.offset()));
    }

    private Map<TopicPartition, OffsetAndMetadata> drainSettled(boolean all) {
        Done d;
        while ((d = settled.poll()) != null) {
            Progress pr = progress.get(d.tp());
            if (pr != null) {
                pr.settled(d.offset()); // a revoked partition's late settlement is ignored: redelivered elsewhere
            }
        }
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Map.Entry<TopicPartition, Progress> e : progress.entrySet()) {
            long c = all ? e.getValue().commit() : e.getValue().takeCommit();
            if (c >= 0) {
                out.put(e.getKey(), new OffsetAndMetadata(c));
            }
        }
        return out;
    }

    private void commitSettled() {
        Map<TopicPartition, OffsetAndMetadata> offsets = drainSettled(false);
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (o, e) -> {
                if (e != null) {
                    LOG.log(Level.DEBUG, "async commit on " + topic + " failed; a later commit covers it", e);
                }
            });
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> offsets = drainSettled(true);
            offsets.keySet().retainAll(partitions);
            try {
                if (!offsets.isEmpty()) {
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                }
            } catch (KafkaException e) {
                LOG.log(Level.WARNING, "commit on revoke of " + partitions + " failed; the new owner re-processes from the last commit", e);
            }
            progress.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                progress.put(tp, new Progress());
            }
            if (paused) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            progress.keySet().removeAll(partitions); // gone without a chance to commit: redelivered elsewhere
        }
    }

    private void closeConsumer() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = drainSettled(true);
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets, Duration.ofSeconds(5));
            }
        } catch (KafkaException e) {
            LOG.log(Level.DEBUG, "final commit on " + topic + " failed; the group re-processes from the last commit", e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
