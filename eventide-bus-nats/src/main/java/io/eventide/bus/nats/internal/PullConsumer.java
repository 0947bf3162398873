package io.eventide.bus.nats.internal;

import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.bus.Overflow;
import io.eventide.bus.spi.BridgeThreads;
import io.eventide.bus.spi.BrokerDelivery;
import io.eventide.bus.spi.Inbox;
import io.eventide.core.EventLoop;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A JetStream pull consumer whose batch is the consumer's credit: its thread fetches at most
 * {@code inbox.credit()} messages, hands them to the {@link Inbox}, and fetches again only when
 * handlers have settled enough to have credit. Each settled message is acknowledged explicitly
 * (ack; nak once on failure, then term) from a second, ordered thread, so a fetch waiting for
 * messages never delays an ack.
 *
 * <p>{@code consume} shares one durable consumer per address (competing pullers);
 * {@code subscribe} creates an ephemeral consumer delivering only new messages (one copy each).
 *
 * <p><b>Threading:</b> constructed and cancelled from any thread; jnats is called from the fetch
 * and ack threads only.
 */
public final class PullConsumer implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.eventide.bus.nats");
    private static final Duration FETCH_WAIT = Duration.ofMillis(250);

    private final Link link;
    private final String address;
    private final boolean broadcast;
    private final String group;
    private final Inbox<io.nats.client.Message> inbox;
    private final ExecutorService acks;
    private final Semaphore credit = new Semaphore(0);
    private final Thread thread;
    private JetStreamSubscription sub;

    /**
     * @param link the connection
     * @param loop where the handler runs
     * @param address subject
     * @param broadcast whether every subscriber gets a copy (ephemeral consumer)
     * @param o credit = pull batch; group = durable name
     * @param handler the application's handler
     */
    public PullConsumer(Link link, EventLoop loop, String address, boolean broadcast, ConsumerOptions o, Handler handler) {
        this.link = link;
        this.address = address;
        this.broadcast = broadcast;
        this.group = Link.durable(address, o.group());
        this.inbox = new Inbox<io.nats.client.Message>(loop, address, new ConsumerOptions(o.credit(), o.credit(),
                Overflow.REJECT, o.group()), handler, this::settled);
        this.inbox.onCredit(credit::release).onCancel(this::stop);
        this.acks = BridgeThreads.ordered("eventide-nats-acks-" + address);
        this.thread = new Thread(this, "eventide-nats-consumer-" + address);
        this.thread.setDaemon(true);
    }

    /** @return the handle given to the application */
    public Inbox<io.nats.client.Message> inbox() {
        return inbox;
    }

    /** Starts fetching. */
    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (inbox.isActive()) {
            try {
                if (sub == null) {
                    sub = subscribe();
                }
                int n = inbox.credit();
                if (n == 0) {
                    credit.tryAcquire(100, TimeUnit.MILLISECONDS); // woken by the loop when a handler settles
                    credit.drainPermits();
                    continue;
                }
                List<io.nats.client.Message> batch = sub.fetch(n, FETCH_WAIT);
                for (io.nats.client.Message m : batch) {
                    deliver(m);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                // Server away or restarting, consumer lost with it: set up again after a pause.
                LOG.log(Level.DEBUG, "NATS consumer of " + address + " failed (" + e + "); retrying");
                resetSubscription();
                pause();
            }
        }
    }

    private JetStreamSubscription subscribe() throws IOException, JetStreamApiException {
        link.ensureStream(address);
        ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder().ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(30)).maxAckPending(Math.max(1000, inbox.maxCredit() * 16)).filterSubject(address);
        PullSubscribeOptions.Builder o = PullSubscribeOptions.builder().stream(Link.stream(address));
        if (broadcast) {
            cc.deliverPolicy(DeliverPolicy.New).inactiveThreshold(Duration.ofMinutes(1));
        } else {
            cc.durable(group);
            o.durable(group);
        }
        return link.connection().jetStream().subscribe(address, o.configuration(cc.build()).build());
    }

    private void deliver(io.nats.client.Message m) {
        if (!m.isJetStream()) {
            return; // a status message (timeout of a pull request): nothing to hand on
        }
        boolean redelivered = m.metaData().deliveredCount() > 1;
        Message msg = Message.wrap(headers(m.getHeaders()), m.getData() == null ? new byte[0] : m.getData());
        if (!inbox.offer(new BrokerDelivery(address, msg, inbox.loop(), redelivered), m)) {
            ack(m::nak);
        }
    }

    private static Map<String, String> headers(Headers h) {
        Map<String, String> out = new LinkedHashMap<>();
        if (h != null) {
            for (String k : h.keySet()) {
                if (!k.equals(NatsPublisher.NATS_MSG_ID)) {
                    out.put(k, h.getFirst(k));
                }
            }
            String id = h.getFirst(NatsPublisher.NATS_MSG_ID);
            if (id != null) {
                out.put(Message.MESSAGE_ID, id);
            }
        }
        return out;
    }

    private void settled(io.nats.client.Message m, Throwable failure) {
        if (failure == null) {
            ack(m::ack);
        } else if (m.metaData().deliveredCount() > 1) {
            ack(m::term); // failed twice: stop redelivering a poison message
        } else {
            ack(m::nak);
        }
    }

    private void ack(Runnable r) {
        try {
            acks.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    // Disconnected: the server redelivers after ackWait; at-least-once holds.
                    LOG.log(Level.DEBUG, "ack on " + address + " lost; the server redelivers", e);
                }
            });
        } catch (RejectedExecutionException stopped) {
            // Cancelled: unacknowledged messages are redelivered after ackWait.
        }
    }

    private void resetSubscription() {
        if (sub != null) {
            try {
                sub.unsubscribe();
            } catch (RuntimeException e) {
                // The connection is away; the server forgets the interest with it.
            }
            sub = null;
        }
        link.forgetStreams();
    }

    private void pause() {
        try {
            Thread.sleep(200); // blocking-ok: the consumer's own thread backs off while the server is away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        thread.interrupt();
        acks.execute(() -> {
            resetSubscription();
        });
        acks.shutdown();
    }
}
