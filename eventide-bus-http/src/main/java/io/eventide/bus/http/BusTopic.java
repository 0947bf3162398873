package io.eventide.bus.http;

import io.eventide.bus.Bus;
import io.eventide.bus.BusConsumer;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.bus.Overflow;
import io.eventide.core.EventLoop;
import io.eventide.http.sse.SseStream;
import io.eventide.http.topic.LocalTopic;
import io.eventide.http.topic.Subscription;
import io.eventide.http.topic.Topic;
import io.eventide.http.websocket.WebSocket;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link Topic} whose broadcasts reach the subscribers of every instance: {@link #publish} goes to
 * the bus (bridged to a broker, the address reaches every process), and each instance relays what
 * the bus delivers into its own {@link LocalTopic}, which encodes the WebSocket frame or SSE event
 * once for all its local subscribers.
 *
 * <pre>
 *   instance A: publish(m) ──► bus.publish(address) ──► broker (fanout)
 *                                                          ├──► instance A: relay ─► LocalTopic ─► sockets on A
 *                                                          └──► instance B: relay ─► LocalTopic ─► sockets on B
 * </pre>
 *
 * A publisher sees its own message come back through the broker like everyone else, so every
 * instance delivers in the broker's order. The relay is a bus subscriber with a bounded queue that
 * keeps the latest messages ({@link Overflow#DROP_OLDEST}): a live feed slower than its publishers
 * loses old updates rather than memory.
 *
 * <pre>{@code
 * Bus bus = Bus.create(group).bridge("chat.", RabbitTransport.create(RabbitOptions.defaults()));
 * Topic<String> room = BusTopic.create(bus, "chat.lobby");
 * app.get("/chat", WebSockets.handler(opts, ws -> room.subscribe(ws)));
 * }</pre>
 *
 * <p><b>Threading:</b> any thread may publish; the WebSocket and SSE adapters are called on the
 * stream's loop, like {@link LocalTopic}'s. The relay runs on one loop of the bus's group.
 *
 * @param <T> the message type
 */
public final class BusTopic<T> implements Topic<T> {
    private static final System.Logger LOG = System.getLogger("io.eventide.bus.http");
    /** Messages the relay holds at most while its loop is busy. */
    public static final int RELAY_CAPACITY = 4096;

    private final Bus bus;
    private final String address;
    private final Function<? super T, String> toText;
    private final LocalTopic<T> local;
    private final BusConsumer relay;

    private BusTopic(Bus bus, String address, Function<? super T, String> toText, Function<String, ? extends T> fromText) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.address = Objects.requireNonNull(address, "address");
        this.toText = Objects.requireNonNull(toText, "toText");
        Objects.requireNonNull(fromText, "fromText");
        this.local = LocalTopic.create(address, toText);
        EventLoop home = bus.group().next();
        this.relay = bus.subscribe(home, address, ConsumerOptions.defaults().credit(1).capacity(RELAY_CAPACITY)
                .overflow(Overflow.DROP_OLDEST), Handler.sync(d -> local.publish(fromText.apply(d.message().text()))));
    }

    /**
     * @param bus the bus; bridge {@code address} to a broker to reach other instances
     * @param address the bus address
     * @return a topic of text messages
     */
    public static BusTopic<String> create(Bus bus, String address) {
        return new BusTopic<>(bus, address, s -> s, s -> s);
    }

    /**
     * @param <T> message type
     * @param bus the bus
     * @param address the bus address
     * @param toText how a message becomes text (JSON, say): once per publish, and once per instance
     *     for the wire
     * @param fromText how text becomes a message again on each instance
     * @return a topic
     */
    public static <T> BusTopic<T> create(Bus bus, String address, Function<? super T, String> toText,
            Function<String, ? extends T> fromText) {
        return new BusTopic<>(bus, address, toText, fromText);
    }

    @Override
    public String name() {
        return address;
    }

    @Override
    public void publish(T message) {
        Objects.requireNonNull(message, "message");
        bus.publish(address, Message.of(toText.apply(message))).onFailure(e ->
                LOG.log(Level.WARNING, "broadcast on " + address + " was not accepted: " + e.getMessage()));
    }

    @Override
    public Subscription subscribe(EventLoop loop, java.util.function.Consumer<? super T> subscriber) {
        return local.subscribe(loop, subscriber);
    }

    @Override
    public Subscription subscribe(WebSocket socket) {
        return local.subscribe(socket);
    }

    @Override
    public Subscription subscribe(SseStream stream) {
        return local.subscribe(stream);
    }

    /** @return subscribers on this instance */
    public int subscribers() {
        return local.subscribers();
    }

    /** @return broadcasts relayed to this instance's subscribers so far */
    public long relayed() {
        return local.published();
    }

    /** Stops relaying; local subscribers get nothing more. */
    public void close() {
        relay.cancel();
    }

    @Override
    public String toString() {
        return "BusTopic[" + address + ", " + subscribers() + " local subscribers]";
    }
}
