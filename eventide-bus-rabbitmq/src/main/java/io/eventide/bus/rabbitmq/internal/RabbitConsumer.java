package io.eventide.bus.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Overflow;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.spi.BridgeThreads;
import io.eventide.bus.spi.BrokerDelivery;
import io.eventide.bus.spi.Inbox;
import io.eventide.core.EventLoop;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One consumer: its own channel with {@code basic.qos(credit)}, so the broker never has more than
 * the credit unacknowledged with it, and its own ordered thread for every call into that channel
 * (open, consume, ack, nack, cancel). Deliveries go from the client's dispatch thread into the
 * consumer's {@link Inbox}; when the handler's promise settles, the ack (or nack) is handed back to
 * the ordered thread.
 *
 * <pre>
 *   broker ──deliver──► client thread ──offer──► Inbox (loop) ──handler──► promise
 *     ▲                                                                    │
 *     └──────────── ops thread: basic.ack / basic.nack ◄── settler ────────┘
 * </pre>
 *
 * A failed handler's message is requeued once; failing again (or already redelivered) it is
 * rejected without requeue, so the queue's dead-letter exchange, if any, gets it and a poison
 * message does not loop forever.
 *
 * <p><b>Threading:</b> constructed and cancelled from any thread; channel calls on {@code ops} only.
 */
public final class RabbitConsumer {
    private static final System.Logger LOG = System.getLogger("io.eventide.bus.rabbitmq");

    /** What an ack needs. */
    record Tag(long deliveryTag, boolean redelivered) {
    }

    private final ConsumerConnection connection;
    private final RabbitOptions options;
    private final String address;
    private final boolean broadcast;
    private final Inbox<Tag> inbox;
    private final ScheduledExecutorService ops;
    private Channel channel;
    private long retryMs;

    /**
     * @param connection the shared consumer connection
     * @param options broker options (queue arguments, reconnect delay)
     * @param loop where the handler runs
     * @param address the queue (consume) or fanout exchange (subscribe)
     * @param broadcast whether this subscribes to publishes (a private queue bound to the exchange)
     * @param o credit = prefetch
     * @param handler the application's handler
     */
    public RabbitConsumer(ConsumerConnection connection, RabbitOptions options, EventLoop loop, String address,
            boolean broadcast, ConsumerOptions o, Handler handler) {
        this.connection = connection;
        this.options = options;
        this.address = address;
        this.broadcast = broadcast;
        this.retryMs = options.reconnectDelay().toMillis();
        // The broker sends at most `credit` unacked; after a recovery a few stale ones may still be
        // queued, hence room for another credit's worth. Nothing is dropped: a refusal is a nack.
        ConsumerOptions bounded = new ConsumerOptions(o.credit(), o.credit(), Overflow.REJECT, o.group());
        this.inbox = new Inbox<Tag>(loop, address, bounded, handler, this::settled);
        this.ops = BridgeThreads.orderedScheduled("eventide-rabbitmq-consumer-" + address);
        inbox.onCancel(() -> run(this::stop));
    }

    /** @return the consumer handle given to the application */
    public Inbox<Tag> inbox() {
        return inbox;
    }

    /** Opens the channel and starts consuming, in the background; retries while the broker is away. */
    public void start() {
        run(this::open);
    }

    private void open() {
        if (!inbox.isActive()) {
            return;
        }
        try {
            Channel ch = connection.get().createChannel();
            ch.basicQos(inbox.maxCredit());
            String queue = address;
            if (broadcast) {
                Amqp.declareExchange(ch, address);
                queue = ch.queueDeclare().getQueue(); // server-named, exclusive, auto-delete: one per subscriber
                ch.queueBind(queue, address, "");
            } else {
                Amqp.declareQueue(ch, address, options.queueArguments());
            }
            ch.basicConsume(queue, false, new Deliveries(ch));
            channel = ch;
        } catch (IOException | ShutdownSignalException e) {
            LOG.log(Level.DEBUG, "consumer of " + address + " could not start (" + e + "); retrying in " + retryMs + " ms");
            try {
                ops.schedule(this::open, retryMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                return; // cancelled meanwhile
            }
            retryMs = Math.min(5_000, retryMs * 2);
        }
    }

    private final class Deliveries extends DefaultConsumer {
        Deliveries(Channel ch) {
            super(ch);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope env, AMQP.BasicProperties props, byte[] body) {
            Tag tag = new Tag(env.getDeliveryTag(), env.isRedeliver());
            BrokerDelivery d = new BrokerDelivery(address, Amqp.message(props, body), inbox.loop(), env.isRedeliver());
            if (!inbox.offer(d, tag)) {
                run(() -> reject(tag, true));
            }
        }
    }

    private void settled(Tag tag, Throwable failure) {
        if (failure == null) {
            run(() -> ack(tag));
        } else {
            run(() -> reject(tag, !tag.redelivered()));
        }
    }

    private void ack(Tag tag) {
        try {
            if (channel != null) {
                channel.basicAck(tag.deliveryTag(), false);
            }
        } catch (IOException | ShutdownSignalException e) {
            // The channel went away: the broker requeues every unacked message, it comes back redelivered.
            LOG.log(Level.DEBUG, "ack on " + address + " lost with its channel; the broker redelivers", e);
        }
    }

    private void reject(Tag tag, boolean requeue) {
        try {
            if (channel != null) {
                channel.basicNack(tag.deliveryTag(), false, requeue);
            }
        } catch (IOException | ShutdownSignalException e) {
            LOG.log(Level.DEBUG, "nack on " + address + " lost with its channel; the broker redelivers", e);
        }
    }

    private void stop() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            // Closing a channel that is failing anyway; the broker requeues what was unacked.
        }
        channel = null;
        ops.shutdown();
    }

    private void run(Runnable r) {
        try {
            ops.execute(r);
        } catch (RejectedExecutionException stopped) {
            // Cancelled: the channel is closed and the broker requeues what was not acknowledged.
        }
    }
}
