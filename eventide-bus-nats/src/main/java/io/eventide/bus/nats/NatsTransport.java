package io.eventide.bus.nats;

import io.eventide.bus.BusConsumer;
import io.eventide.bus.BusException;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.bus.nats.internal.Link;
import io.eventide.bus.nats.internal.NatsPublisher;
import io.eventide.bus.nats.internal.PullConsumer;
import io.eventide.bus.spi.BridgeThreads;
import io.eventide.bus.spi.Transport;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The event bus over NATS JetStream, through the official {@code jnats} client.
 *
 * <table>
 *   <caption>How the bus maps onto JetStream</caption>
 *   <tr><th>bus</th><th>JetStream</th></tr>
 *   <tr><td>{@code send(a, m)}, {@code publish(a, m)}</td><td>{@code publishAsync} to subject {@code a}
 *       (stream {@code EVENTIDE_a}, created on first use), {@code Nats-Msg-Id} = the message id; the
 *       promise resolves on the PubAck; unacknowledged publishes are retried with the same id</td></tr>
 *   <tr><td>{@code consume(a)}</td><td>a durable pull consumer shared by every consumer of {@code a}
 *       (competing), batch = credit, explicit acks after the handler's promise</td></tr>
 *   <tr><td>{@code subscribe(a)}</td><td>an ephemeral pull consumer per subscriber, new messages only</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> any thread; promises settle and handlers run on the given loop. jnats is
 * called from the bridge's own threads only.
 */
public final class NatsTransport implements Transport {
    private final NatsOptions options;
    private final Link link;
    private final NatsPublisher publisher;
    private final Set<PullConsumer> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService control;

    private NatsTransport(NatsOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.link = new Link(options);
        this.publisher = new NatsPublisher(link, options);
        this.control = BridgeThreads.ordered("eventide-nats-control");
    }

    /**
     * Starts the bridge; it connects in the background and keeps trying while the server is away.
     *
     * @param options the server
     * @return the transport
     */
    public static NatsTransport create(NatsOptions options) {
        NatsTransport t = new NatsTransport(options);
        t.publisher.start();
        return t;
    }

    @Override
    public String name() {
        return options.url();
    }

    @Override
    public Promise<Void> send(EventLoop loop, String address, Message message) {
        return publisher.submit(loop, address, message);
    }

    @Override
    public Promise<Void> publish(EventLoop loop, String address, Message message) {
        return publisher.submit(loop, address, message);
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
        PullConsumer c = new PullConsumer(link, loop, address, broadcast, o, h);
        open.add(c);
        c.inbox().onCancel(() -> open.remove(c));
        c.start();
        return c.inbox();
    }

    /** Messages of the address's stream not yet delivered to its durable consumer. */
    @Override
    public Promise<Long> depth(EventLoop loop, String address) {
        return BridgeThreads.call(control, loop, "the depth of " + address + " on " + name(), () -> link.connection()
                .jetStreamManagement().getConsumerInfo(Link.stream(address), Link.durable(address, null)).getNumPending());
    }

    /**
     * Deletes an address's stream (tests and tools; never from a loop). Blocks.
     *
     * @param address the address
     * @throws BusException if the server refuses or cannot be reached
     */
    public void deleteStream(String address) {
        if (EventLoop.current() != null) {
            throw new IllegalStateException("blocking NATS administration called on a loop");
        }
        try {
            link.connection().jetStreamManagement().deleteStream(Link.stream(address));
            link.forgetStreams();
        } catch (IOException | JetStreamApiException e) {
            throw new BusException("deleting the stream of " + address + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * @param address an address
     * @return messages its stream holds (tests and tools; never from a loop). Blocks.
     */
    public long storedMessages(String address) {
        try {
            return link.connection().jetStreamManagement().getStreamInfo(Link.stream(address)).getStreamState().getMsgCount();
        } catch (IOException | JetStreamApiException e) {
            throw new BusException("reading the stream of " + address + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int pendingSends() {
        return publisher.pending();
    }

    @Override
    public boolean isBlocked() {
        return !link.isConnected();
    }

    @Override
    public CompletableFuture<Void> close() {
        for (PullConsumer c : open.toArray(new PullConsumer[0])) {
            c.inbox().cancel();
        }
        control.shutdown();
        return publisher.close(5_000).whenComplete((v, e) -> link.close());
    }

    @Override
    public String toString() {
        return "NatsTransport[" + name() + ", " + pendingSends() + " pending]";
    }
}
