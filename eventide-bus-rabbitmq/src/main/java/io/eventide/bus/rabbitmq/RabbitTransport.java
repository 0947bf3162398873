package io.eventide.bus.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.eventide.bus.BusConsumer;
import io.eventide.bus.BusException;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.bus.rabbitmq.internal.ConsumerConnection;
import io.eventide.bus.rabbitmq.internal.Publisher;
import io.eventide.bus.rabbitmq.internal.RabbitConsumer;
import io.eventide.bus.spi.BridgeThreads;
import io.eventide.bus.spi.Transport;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * The event bus over RabbitMQ, through the official {@code amqp-client}.
 *
 * <table>
 *   <caption>How the bus maps onto AMQP</caption>
 *   <tr><th>bus</th><th>RabbitMQ</th></tr>
 *   <tr><td>{@code send(a, m)}</td><td>persistent message to the durable quorum queue {@code a} (declared
 *       on first use) through the default exchange, {@code mandatory}; the promise resolves on
 *       {@code basic.ack}, rejects on {@code basic.nack} or when the message is returned unroutable</td></tr>
 *   <tr><td>{@code publish(a, m)}</td><td>persistent message to the durable fanout exchange {@code a}</td></tr>
 *   <tr><td>{@code consume(a)}</td><td>the quorum queue {@code a}, {@code basic.qos(credit)}, manual
 *       acks after the handler's promise resolves</td></tr>
 *   <tr><td>{@code subscribe(a)}</td><td>a server-named exclusive queue bound to the exchange {@code a}</td></tr>
 * </table>
 *
 * <pre>{@code
 * RabbitTransport rabbit = RabbitTransport.create(RabbitOptions.defaults());
 * Bus bus = Bus.create(group).bridge("jobs.", rabbit);
 * bus.send("jobs.resize", Message.json(job)).onSuccess(v -> res.status(202).end());  // confirmed, durable
 * bus.consume(loop, "jobs.resize", ConsumerOptions.defaults().credit(8), d -> resize(d.message()));
 * }</pre>
 *
 * <p>Two connections: one for publishing, owned by one thread that reconnects by itself and
 * re-publishes what was not confirmed; one for consumers, recovered by the client with its topology.
 * A blocked broker ({@code connection.blocked}) blocks only the first: acknowledgements still flow,
 * sends fail fast with {@code OverloadException} and {@link #isBlocked()} says so. No loop calls into
 * the client.
 *
 * <p><b>Threading:</b> any thread; promises settle and handlers run on the given loop.
 */
public final class RabbitTransport implements Transport {
    private final RabbitOptions options;
    private final String name;
    private final Publisher publisher;
    private final ConsumerConnection consumers;
    private final Set<RabbitConsumer> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService control;

    private RabbitTransport(RabbitOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.name = "rabbitmq://" + options.host() + ":" + options.port();
        this.publisher = new Publisher(options, "eventide publisher");
        this.consumers = new ConsumerConnection(options, "eventide consumers");
        this.control = BridgeThreads.ordered("eventide-rabbitmq-control");
    }

    /**
     * Starts the bridge. It connects in the background and keeps trying while the broker is away;
     * sends made meanwhile wait, up to {@code maxPendingSends}.
     *
     * @param options the broker
     * @return the transport
     */
    public static RabbitTransport create(RabbitOptions options) {
        RabbitTransport t = new RabbitTransport(options);
        t.publisher.start();
        return t;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Promise<Void> send(EventLoop loop, String address, Message message) {
        return publisher.submit(loop, true, address, message);
    }

    @Override
    public Promise<Void> publish(EventLoop loop, String address, Message message) {
        return publisher.submit(loop, false, address, message);
    }

    @Override
    public BusConsumer consume(EventLoop loop, String address, ConsumerOptions options, Handler handler) {
        return start(loop, address, false, options, handler);
    }

    @Override
    public BusConsumer subscribe(EventLoop loop, String address, ConsumerOptions options, Handler handler) {
        return start(loop, address, true, options, handler);
    }

    private BusConsumer start(EventLoop loop, String address, boolean broadcast, ConsumerOptions o, Handler h) {
        RabbitConsumer c = new RabbitConsumer(consumers, options, loop, address, broadcast, o, h);
        open.add(c);
        c.inbox().onCancel(() -> open.remove(c));
        c.start();
        return c.inbox();
    }

    /** Ready messages in the quorum queue {@code address} (not counting those delivered and unacked). */
    @Override
    public Promise<Long> depth(EventLoop loop, String address) {
        return BridgeThreads.call(control, loop, "the depth of " + address + " on " + name, () -> {
            Channel ch = consumers.get().createChannel();
            try {
                return ch.messageCount(address);
            } finally {
                closeQuietly(ch);
            }
        });
    }

    private static void closeQuietly(Channel ch) {
        try {
            if (ch.isOpen()) {
                ch.close();
            }
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            // A channel opened for one question; nothing to do if closing it fails.
        }
    }

    /**
     * Deletes a queue (tests and tools; never from a loop). Blocks.
     *
     * @param queue the queue
     * @throws BusException if the broker refuses or cannot be reached
     */
    public void deleteQueue(String queue) {
        admin(ch -> ch.queueDelete(queue));
    }

    /**
     * Deletes an exchange (tests and tools; never from a loop). Blocks.
     *
     * @param exchange the exchange
     * @throws BusException if the broker refuses or cannot be reached
     */
    public void deleteExchange(String exchange) {
        admin(ch -> ch.exchangeDelete(exchange));
    }

    private interface ChannelAction {
        void run(Channel ch) throws IOException;
    }

    private void admin(ChannelAction action) {
        if (io.eventide.core.EventLoop.current() != null) {
            throw new IllegalStateException("blocking RabbitMQ administration called on a loop");
        }
        try {
            Channel ch = consumers.get().createChannel();
            try {
                action.run(ch);
            } finally {
                closeQuietly(ch);
            }
        } catch (IOException | ShutdownSignalException e) {
            throw new BusException("RabbitMQ administration failed on " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int pendingSends() {
        return publisher.pending();
    }

    /** @return times the publisher (re)opened its channel: 1 after the first connect, more after recoveries */
    public long publisherConnects() {
        return publisher.connects();
    }

    @Override
    public boolean isBlocked() {
        return publisher.isBlocked();
    }

    @Override
    public CompletableFuture<Void> close() {
        for (RabbitConsumer c : open.toArray(new RabbitConsumer[0])) {
            c.inbox().cancel();
        }
        control.shutdown();
        return publisher.close(5_000).whenComplete((v, e) -> consumers.close());
    }

    @Override
    public String toString() {
        return "RabbitTransport[" + name + ", " + pendingSends() + " pending]";
    }
}
