package io.eventide.bus.kafka;

import io.eventide.bus.BusConsumer;
import io.eventide.bus.BusException;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.bus.kafka.internal.Poller;
import io.eventide.bus.kafka.internal.Records;
import io.eventide.bus.kafka.internal.Sender;
import io.eventide.bus.kafka.internal.Topics;
import io.eventide.bus.spi.BridgeThreads;
import io.eventide.bus.spi.Transport;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The event bus over Apache Kafka, through the official {@code kafka-clients}.
 *
 * <table>
 *   <caption>How the bus maps onto Kafka</caption>
 *   <tr><th>bus</th><th>Kafka</th></tr>
 *   <tr><td>{@code send(a, m)}, {@code publish(a, m)}</td><td>a record to topic {@code a} (created on
 *       first use) from an idempotent producer with {@code acks=all}; the promise resolves when every
 *       in-sync replica has it. The header {@value #KEY_HEADER} becomes the record key.</td></tr>
 *   <tr><td>{@code consume(a)}</td><td>the consumer group {@code options.group()} (default
 *       {@code eventide-a}): members share the partitions; a new group starts at the earliest offset</td></tr>
 *   <tr><td>{@code subscribe(a)}</td><td>a group of its own, starting at the latest offset: one copy each</td></tr>
 * </table>
 *
 * <p>Each consumer polls on its own thread and pauses its partitions while its credit is used up;
 * offsets are committed after processing (at-least-once). Sends go through one producer thread,
 * since {@code send} may block for {@code max.block.ms}.
 *
 * <p><b>Threading:</b> any thread; promises settle and handlers run on the given loop.
 */
public final class KafkaTransport implements Transport {
    /** Header whose value becomes the record key (ordering within a partition). */
    public static final String KEY_HEADER = Records.KEY;

    private final KafkaOptions options;
    private final Topics topics;
    private final Sender sender;
    private final Set<Poller> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService control;

    private KafkaTransport(KafkaOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.topics = new Topics(options);
        this.sender = new Sender(options, topics);
        this.control = BridgeThreads.ordered("eventide-kafka-control");
    }

    /**
     * Starts the bridge. Call it at startup, not on a loop: building the producer does not contact the
     * cluster but loads classes and reads configuration for a while. Consumers are built on their
     * own poll threads.
     *
     * @param options the cluster
     * @return the transport
     */
    public static KafkaTransport create(KafkaOptions options) {
        KafkaTransport t = new KafkaTransport(options);
        t.sender.start();
        return t;
    }

    @Override
    public String name() {
        return "kafka://" + options.bootstrapServers();
    }

    @Override
    public Promise<Void> send(EventLoop loop, String address, Message message) {
        return sender.submit(loop, address, message);
    }

    @Override
    public Promise<Void> publish(EventLoop loop, String address, Message message) {
        return sender.submit(loop, address, message);
    }

    @Override
    public BusConsumer consume(EventLoop loop, String address, ConsumerOptions options, Handler handler) {
        String group = options.group() != null ? options.group() : "eventide-" + address;
        return start(new Poller(this.options, topics, loop, address, group, false, options, handler));
    }

    @Override
    public BusConsumer subscribe(EventLoop loop, String address, ConsumerOptions options, Handler handler) {
        String group = "eventide-" + address + "-" + UUID.randomUUID();
        return start(new Poller(this.options, topics, loop, address, group, true, options, handler));
    }

    /**
     * A diagnostic: how many polls of this transport's open consumers waited out their whole timeout
     * with every partition paused for lack of credit. It stays near zero while handlers return
     * credit; it grows when they hold it (slow handlers: the intended backpressure).
     *
     * @return the count, summed over the open consumers; any thread
     */
    public long stalledPolls() {
        long n = 0;
        for (Poller p : open) {
            n += p.stalledPolls();
        }
        return n;
    }

    private BusConsumer start(Poller p) {
        open.add(p);
        p.inbox().onCancel(() -> open.remove(p));
        p.start();
        return p.inbox();
    }

    /** Records of the topic after the committed offsets of its default consumer group. */
    @Override
    public Promise<Long> depth(EventLoop loop, String address) {
        return BridgeThreads.call(control, loop, "the depth of " + address + " on " + name(),
                () -> topics.lag(address, "eventide-" + address));
    }

    /**
     * Deletes a topic (tests and tools; never from a loop). Blocks.
     *
     * @param topic the topic
     * @throws BusException if the cluster refuses
     */
    public void deleteTopic(String topic) {
        if (EventLoop.current() != null) {
            throw new IllegalStateException("blocking Kafka administration called on a loop");
        }
        try {
            topics.delete(topic);
        } catch (Exception e) {
            throw new BusException("deleting topic " + topic + " failed: " + e, e);
        }
    }

    @Override
    public int pendingSends() {
        return sender.pending();
    }

    @Override
    public boolean isBlocked() {
        return sender.isBlocked();
    }

    @Override
    public CompletableFuture<Void> close() {
        for (Poller p : open.toArray(new Poller[0])) {
            p.inbox().cancel();
        }
        control.shutdown();
        return sender.close(5_000).whenComplete((v, e) -> topics.close());
    }

    @Override
    public String toString() {
        return "KafkaTransport[" + name() + ", " + pendingSends() + " pending]";
    }
}
