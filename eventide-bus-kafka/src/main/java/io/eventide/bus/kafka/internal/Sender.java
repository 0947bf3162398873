package io.eventide.bus.kafka.internal;

import io.eventide.bus.BusException;
import io.eventide.bus.Message;
import io.eventide.bus.kafka.KafkaOptions;
import io.eventide.bus.spi.BridgeThreads;
import io.eventide.bus.spi.MessageIds;
import io.eventide.bus.spi.SendWindow;
import io.eventide.core.EventLoop;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka producer and the one thread that calls it. {@code KafkaProducer.send} blocks for up to
 * {@code max.block.ms} when it has no metadata for the topic (a broker away) or its buffer is full,
 * so no loop calls it: {@link #submit} queues, this thread sends, and the producer's callback
 * (on the client's I/O thread) settles the promise, whose reactions run on the caller's loop.
 *
 * <p>The producer is idempotent with {@code acks=all}, set explicitly: with retries it writes each
 * record once per partition even across broker failovers, and a record is acknowledged only once
 * every in-sync replica has it. Records the producer gives up on ({@code delivery.timeout.ms})
 * fail their promise.
 *
 * <p><b>Threading:</b> {@link #submit}, {@link #pending}, {@link #isBlocked}, {@link #close}: any
 * thread. The producer: this thread, and the client's own.
 */
public final class Sender implements Runnable {
    private record Pending(String topic, Message message, Promise<Void> promise) {
    }

    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final LinkedBlockingQueue<Pending> outbox = new LinkedBlockingQueue<>();
    private final SendWindow window;
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean closing;
    private volatile long lastAck = System.nanoTime();

    /** @param options cluster and bounds @param topics creates topics on first use */
    public Sender(KafkaOptions options, Topics topics) {
        this.topics = topics;
        this.window = new SendWindow("Kafka", options.maxPendingSends());
        Map<String, Object> p = new HashMap<>(options.producer());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence keeps in order
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "eventide-producer");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this, "eventide-kafka-producer");
        this.thread.setDaemon(true);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    /**
     * @param loop owns the promise
     * @param topic the topic
     * @param m the message
     * @return resolves once every in-sync replica has the record
     */
    public Promise<Void> submit(EventLoop loop, String topic, Message m) {
        if (closing) {
            return Promise.failed(loop, new BusException("Kafka transport is closed"));
        }
        OverloadException refused = window.tryAcquire(!isBlocked());
        if (refused != null) {
            return Promise.failed(loop, refused);
        }
        Promise<Void> p = loop.promise();
        outbox.add(new Pending(topic, m, p));
        return p;
    }

    /** @return accepted, unacknowledged sends */
    public int pending() {
        return window.pending();
    }

    /** @return whether sends are waiting and nothing was acknowledged for two seconds */
    public boolean isBlocked() {
        return window.pending() > 0 && System.nanoTime() - lastAck > TimeUnit.SECONDS.toNanos(2);
    }

    @Override
    public void run() {
        try {
            while (!closing || !outbox.isEmpty()) {
                Pending p = outbox.poll(50, TimeUnit.MILLISECONDS);
                if (p != null) {
                    send(p);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Pending p;
            while ((p = outbox.poll()) != null) {
                fail(p, new BusException("Kafka transport closed before the record was sent"));
            }
            terminated.complete(null);
        }
    }

    private void send(Pending p) {
        String id = p.message().header(Message.MESSAGE_ID);
        try {
            topics.ensure(p.topic());
            producer.send(Records.record(p.topic(), p.message(), id != null ? id : MessageIds.next()),
                    (meta, err) -> {
                        if (err == null) {
                            lastAck = System.nanoTime();
                            window.release();
                            p.promise().resolve(null);
                        } else {
                            fail(p, new BusException("Kafka did not acknowledge the record to " + p.topic() + ": " + err, err));
                        }
                    });
        } catch (KafkaException | IllegalStateException e) {
            // max.block.ms passed without metadata, or the record is too large: this one fails.
            fail(p, new BusException("Kafka refused the record to " + p.topic() + ": " + e.getMessage(), e));
        }
    }

    private void fail(Pending p, Throwable t) {
        window.release();
        p.promise().reject(t);
    }

    /**
     * Sends what is queued, waits up to {@code graceMs} for acknowledgements, closes the producer.
     *
     * @param graceMs how long to wait
     * @return completes when the producer is closed
     */
    public CompletableFuture<Void> close(long graceMs) {
        closing = true;
        // A thread stuck on an unreachable cluster (metadata, topic creation) is interrupted after the
        // grace: what it has not sent fails, and the producer is closed.
        return BridgeThreads.stopWithin(thread, terminated, graceMs)
                .thenRunAsync(() -> producer.close(java.time.Duration.ofMillis(graceMs)), r -> Thread.ofVirtual().start(r));
    }
}
