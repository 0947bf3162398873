package io.eventide.bus;

import io.eventide.bus.internal.LocalDelivery;
import io.eventide.bus.internal.Registrations;
import io.eventide.bus.spi.Inbox;
import io.eventide.bus.spi.MessageIds;
import io.eventide.bus.spi.Transport;
import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The event bus: named addresses, and three ways to reach them, within a process's loops or, for
 * addresses bridged to a broker, across processes and machines.
 *
 * <pre>
 *   publish(a, m)  ──► every subscriber of a            (subscribe)
 *   send(a, m)     ──► one consumer of a, round-robin   (consume)
 *   request(a, m)  ──► one consumer of a ──reply──► the requester's promise, or a timeout
 * </pre>
 *
 * <pre>{@code
 * Bus bus = Bus.create(group);
 * bus.consume(loopA, "greet", ConsumerOptions.defaults(), Handler.sync(d -> d.reply(Message.of("hi " + d.message().text()))));
 * bus.request("greet", Message.of("ada"), Duration.ofSeconds(1)).onSuccess(r -> log(r.text()));
 *
 * bus.bridge("jobs.", rabbit);                      // addresses starting with "jobs." go through RabbitMQ
 * bus.send("jobs.resize", Message.json(job));       // resolves on the broker's confirm
 * }</pre>
 *
 * <p>Handlers run on the loop they were registered with. Each consumer has a bounded queue and a
 * credit ({@link ConsumerOptions}): a slow handler fills its own queue, and past its bound the
 * declared {@link Overflow} policy applies, so a fast producer never grows the heap without bound.
 * Messages are copied nowhere: one immutable {@link Message} reaches every subscriber.
 *
 * <p>Promises returned by {@link #publish}, {@link #send} and {@link #request} belong to the
 * calling loop, or to a loop of the group when called from another thread.
 *
 * <p><b>Threading:</b> any thread. Handlers run on their consumer's loop.
 */
public final class Bus implements AutoCloseable {
    private final LoopGroup group;
    private final ConcurrentHashMap<String, Registrations> addresses = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Map.Entry<String, Transport>> bridges = new CopyOnWriteArrayList<>();

    private Bus(LoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
    }

    /**
     * @param group the loops handlers may run on
     * @return a bus with no bridges: every address is local
     */
    public static Bus create(LoopGroup group) {
        Message.mapper(); // loads Jackson here, not on a loop at the first JSON message (~50 ms cold)
        MessageIds.next(); // seeds its random prefix here, not on a loop at the first send
        return new Bus(group);
    }

    /**
     * Routes every address starting with {@code prefix} through {@code transport}; the longest
     * matching prefix wins. The bus closes the transport when it closes.
     *
     * @param prefix e.g. {@code "jobs."}; the empty string bridges every address
     * @param transport a broker bridge
     * @return this
     */
    public Bus bridge(String prefix, Transport transport) {
        bridges.add(Map.entry(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(transport, "transport")));
        return this;
    }

    /**
     * @param address an address
     * @return the transport it is bridged to, or null when it is local
     */
    public Transport transportOf(String address) {
        Transport best = null;
        int len = -1;
        for (Map.Entry<String, Transport> b : bridges) {
            if (address.startsWith(b.getKey()) && b.getKey().length() > len) {
                best = b.getValue();
                len = b.getKey().length();
            }
        }
        return best;
    }

    /**
     * Delivers {@code message} to every subscriber of {@code address}. Locally the promise resolves
     * once each subscriber's queue took it or its overflow policy dropped it; bridged, once the
     * broker confirmed it.
     *
     * @param address the address
     * @param message the message
     * @return see above
     */
    public Promise<Void> publish(String address, Message message) {
        check(address, message);
        EventLoop loop = callerLoop();
        Transport t = transportOf(address);
        if (t != null) {
            return t.publish(loop, address, message);
        }
        Registrations r = addresses.get(address);
        if (r != null) {
            LocalDelivery d = new LocalDelivery(address, message, null, null);
            for (Inbox<?> in : r.subscribers()) {
                offer(in, d);
            }
        }
        return Promise.resolved(loop, null);
    }

    /**
     * Delivers {@code message} to one consumer of {@code address}, round-robin, skipping consumers
     * whose queue is full. Locally it fails with {@link BusException} when nobody consumes the
     * address and with {@link OverloadException} when every consumer is full; bridged, it resolves
     * once the broker confirmed it.
     *
     * @param address the address
     * @param message the message
     * @return see above
     */
    public Promise<Void> send(String address, Message message) {
        check(address, message);
        EventLoop loop = callerLoop();
        Transport t = transportOf(address);
        if (t != null) {
            return t.send(loop, address, message);
        }
        Throwable refused = deliverToOne(address, new LocalDelivery(address, message, null, null));
        return refused == null ? Promise.resolved(loop, null) : Promise.failed(loop, refused);
    }

    /**
     * Sends {@code message} to one consumer of {@code address} and waits for its
     * {@link Delivery#reply}. Local addresses only: a broker round trip is a different latency class,
     * so across processes use a queue each way.
     *
     * @param address a local address
     * @param message the request
     * @param timeout how long to wait for the reply
     * @return the reply; or fails with {@link DeadlineExceededException} after {@code timeout},
     *     {@link BusException} when nobody consumes the address or the handler failed, or
     *     {@link OverloadException} when every consumer is full
     */
    public Promise<Message> request(String address, Message message, Duration timeout) {
        check(address, message);
        Objects.requireNonNull(timeout, "timeout");
        EventLoop loop = callerLoop();
        Transport t = transportOf(address);
        if (t != null) {
            return Promise.failed(loop, new BusException("request/reply is process-local; " + address
                    + " is bridged to " + t.name()));
        }
        Promise<Message> reply = loop.promise();
        Throwable refused = deliverToOne(address, new LocalDelivery(address, message, null, reply));
        if (refused != null) {
            reply.reject(refused);
            return reply;
        }
        return reply.timeout(timeout);
    }

    /**
     * Competes for the sends and requests to {@code address}.
     *
     * @param loop where {@code handler} runs
     * @param address the address
     * @param options credit, queue bound, overflow policy
     * @param handler the handler
     * @return the consumer
     */
    public BusConsumer consume(EventLoop loop, String address, ConsumerOptions options, Handler handler) {
        return register(loop, address, options, handler, false);
    }

    /**
     * Receives every publish to {@code address}.
     *
     * @param loop where {@code handler} runs
     * @param address the address
     * @param options credit, queue bound, overflow policy
     * @param handler the handler
     * @return the subscriber
     */
    public BusConsumer subscribe(EventLoop loop, String address, ConsumerOptions options, Handler handler) {
        return register(loop, address, options, handler, true);
    }

    private BusConsumer register(EventLoop loop, String address, ConsumerOptions options, Handler handler,
            boolean subscriber) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        if (loop.group() != group) {
            throw new IllegalArgumentException("loop " + loop.name() + " is not in this bus's group");
        }
        Transport t = transportOf(address);
        if (t != null) {
            return subscriber ? t.subscribe(loop, address, options, handler) : t.consume(loop, address, options, handler);
        }
        Inbox<LocalDelivery> inbox = new Inbox<LocalDelivery>(loop, address, options, handler, LocalDelivery::settled);
        Registrations r = addresses.computeIfAbsent(address, a -> new Registrations());
        r.add(inbox, subscriber);
        inbox.onCancel(() -> r.remove(inbox));
        return inbox;
    }

    /** @return null when one consumer took it, else why nobody did */
    private Throwable deliverToOne(String address, LocalDelivery d) {
        Registrations r = addresses.get(address);
        Inbox<?>[] cs = r == null ? null : r.consumers();
        if (cs == null || cs.length == 0) {
            return new BusException("no consumer for address " + address);
        }
        int start = r.nextIndex();
        for (int i = 0; i < cs.length; i++) {
            if (offer(cs[(start + i) % cs.length], d)) {
                return null;
            }
        }
        return new OverloadException("every consumer of " + address + " is full (" + cs.length + " consumers)");
    }

    @SuppressWarnings("unchecked")
    private static boolean offer(Inbox<?> inbox, LocalDelivery d) {
        LocalDelivery mine = d.to(inbox.loop());
        return ((Inbox<LocalDelivery>) inbox).offer(mine, mine);
    }

    private EventLoop callerLoop() {
        EventLoop current = EventLoop.current();
        return current != null && current.group() == group ? current : group.next();
    }

    private static void check(String address, Message message) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(message, "message");
    }

    /** @return the loops handlers may run on */
    public LoopGroup group() {
        return group;
    }

    /** @return addresses with local consumers or subscribers */
    public List<String> localAddresses() {
        return new ArrayList<>(addresses.keySet());
    }

    /**
     * Cancels every local consumer and closes every bridged transport.
     *
     * @return completes when the transports have closed
     */
    public CompletableFuture<Void> closeAsync() {
        for (Registrations r : addresses.values()) {
            for (Inbox<?> in : r.consumers()) {
                in.cancel();
            }
            for (Inbox<?> in : r.subscribers()) {
                in.cancel();
            }
        }
        addresses.clear();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        java.util.Set<Transport> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Map.Entry<String, Transport> b : bridges) {
            if (seen.add(b.getValue())) {
                closing.add(b.getValue().close());
            }
        }
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
    }

    /** Cancels local consumers and starts closing the transports; see {@link #closeAsync()}. */
    @Override
    public void close() {
        closeAsync();
    }
}
