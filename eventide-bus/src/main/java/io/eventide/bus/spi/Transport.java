package io.eventide.bus.spi;

import io.eventide.bus.BusConsumer;
import io.eventide.bus.BusException;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import java.util.concurrent.CompletableFuture;

/**
 * A broker bridge: the same four verbs as the local {@link io.eventide.bus.Bus}, carried by a
 * broker through its official client. One module per broker implements it
 * ({@code eventide-bus-rabbitmq}, {@code -kafka}, {@code -nats}); {@code Bus.bridge(prefix, t)}
 * routes addresses to it.
 *
 * <table>
 *   <caption>The verbs and what a bridge must guarantee</caption>
 *   <tr><th>verb</th><th>meaning</th><th>guarantee</th></tr>
 *   <tr><td>{@link #send}</td><td>to one consumer of a durable queue</td><td>the promise resolves
 *       only once the broker has the message safely (confirm, acks=all, PubAck); it rejects on a
 *       nack or an unroutable message; a resend after a reconnect keeps the message id</td></tr>
 *   <tr><td>{@link #publish}</td><td>to every subscriber, on every instance</td><td>same confirmation</td></tr>
 *   <tr><td>{@link #consume}</td><td>compete for sends</td><td>at-least-once: acknowledged only after the
 *       handler's promise resolves; at most {@code credit} unacknowledged messages on the way</td></tr>
 *   <tr><td>{@link #subscribe}</td><td>receive publishes</td><td>as consume, one copy per subscriber</td></tr>
 * </table>
 *
 * <p>Rules every bridge keeps: no call into a broker client from a loop thread that could block
 * (sends go through a dedicated thread, acknowledgements through the consumer's own thread); results
 * hop back with {@code loop.execute}; unconfirmed sends are bounded ({@link #pendingSends()}) and past
 * the bound, or while the broker is blocked, a send fails at once with
 * {@link io.eventide.core.OverloadException} instead of queueing without bound.
 *
 * <p><b>Threading:</b> any thread. Promises settle on the given loop; handlers run there.
 */
public interface Transport {
    /** @return the broker's name and address, for logs and errors */
    String name();

    /**
     * @param loop owns the returned promise
     * @param address the queue
     * @param message the message
     * @return resolves once the broker confirmed it
     */
    Promise<Void> send(EventLoop loop, String address, Message message);

    /**
     * @param loop owns the returned promise
     * @param address the topic
     * @param message the message
     * @return resolves once the broker confirmed it
     */
    Promise<Void> publish(EventLoop loop, String address, Message message);

    /**
     * @param loop where the handler runs
     * @param address the queue
     * @param options credit (prefetch) and consumer group
     * @param handler acknowledged after its promise resolves
     * @return the consumer
     */
    BusConsumer consume(EventLoop loop, String address, ConsumerOptions options, Handler handler);

    /**
     * @param loop where the handler runs
     * @param address the topic
     * @param options credit
     * @param handler acknowledged after its promise resolves
     * @return the subscriber
     */
    BusConsumer subscribe(EventLoop loop, String address, ConsumerOptions options, Handler handler);

    /**
     * How many messages wait in the broker for the consumers of a queue: the backlog a load-levelling
     * queue compares to its bound. The default says the bridge cannot tell.
     *
     * @param loop owns the returned promise
     * @param address the queue
     * @return the number of messages not yet acknowledged by a consumer
     */
    default Promise<Long> depth(EventLoop loop, String address) {
        return Promise.failed(loop, new BusException(name() + " cannot report the depth of " + address));
    }

    /** @return sends accepted and not yet confirmed by the broker */
    int pendingSends();

    /** @return whether the broker asked publishers to stop (RabbitMQ connection.blocked) or is unreachable */
    boolean isBlocked();

    /**
     * Stops consumers, waits a little for unconfirmed sends, closes the client.
     *
     * @return completes when the client's threads are gone
     */
    CompletableFuture<Void> close();
}
