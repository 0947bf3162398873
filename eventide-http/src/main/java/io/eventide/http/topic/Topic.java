package io.eventide.http.topic;

import io.eventide.core.EventLoop;
import io.eventide.http.sse.SseStream;
import io.eventide.http.websocket.WebSocket;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A named channel of messages fanned out to subscribers on any number of loops: chat rooms, live
 * dashboards, price tickers. {@link LocalTopic} delivers within the process; a broker-backed topic
 * (the event bus, later) implements the same interface, typically by relaying what the broker
 * delivers into a {@link LocalTopic}, so the encode-once fan-out is reused on every instance.
 *
 * <pre>{@code
 * Topic<String> chat = LocalTopic.create("chat");
 * app.get("/chat", WebSockets.handler(opts, ws -> chat.subscribe(ws)));  // unsubscribed on close
 * app.post("/say", (req, res) -> req.bodyAsString().onSuccess(text -> {
 *     chat.publish(text);
 *     res.end("ok");
 * }));
 * }</pre>
 *
 * <p>Ordering: messages published by one thread reach each subscriber in the order published.
 *
 * <p><b>Threading:</b> any thread may {@link #publish}; {@code subscribe(EventLoop, ...)} may be
 * called from any thread, while the WebSocket and SSE adapters are called on the stream's loop.
 * Subscribers run on their loop.
 *
 * @param <T> the message type
 */
public interface Topic<T> {
    /** @return the topic's name */
    String name();

    /**
     * @param message the message, delivered to every active subscriber
     */
    void publish(T message);

    /**
     * @param loop where {@code subscriber} runs
     * @param subscriber receives each message, on {@code loop}
     * @return the registration
     */
    Subscription subscribe(EventLoop loop, Consumer<? super T> subscriber);

    /**
     * Sends each message to {@code socket} as a text message, until the socket or the subscription
     * is closed. This default sends {@code String.valueOf(message)} per subscriber; {@link LocalTopic}
     * encodes the frame once for all of them.
     *
     * @param socket the socket, on its loop
     * @return the registration
     */
    default Subscription subscribe(WebSocket socket) {
        return subscribeWhileOpen(socket.loop(), socket::isOpen, m -> socket.sendText(String.valueOf(m)));
    }

    /**
     * Sends each message to {@code stream} as an unnamed event, until either is closed.
     *
     * @param stream the stream, on its loop
     * @return the registration
     */
    default Subscription subscribe(SseStream stream) {
        return subscribeWhileOpen(stream.loop(), stream::isOpen, m -> stream.send(String.valueOf(m)));
    }

    private Subscription subscribeWhileOpen(EventLoop loop, java.util.function.BooleanSupplier open,
            Consumer<? super T> send) {
        AtomicReference<Subscription> self = new AtomicReference<>();
        self.set(subscribe(loop, m -> {
            if (open.getAsBoolean()) {
                send.accept(m);
            } else {
                Objects.requireNonNull(self.get()).cancel();
            }
        }));
        return self.get();
    }
}
