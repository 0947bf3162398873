package io.eventide.http.topic;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopClosedException;
import io.eventide.http.spi.SharedWriter;
import io.eventide.http.sse.SseStream;
import io.eventide.http.websocket.WebSocket;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Topic} within one process: subscribers are kept per loop, and a publish crosses to each
 * loop that has subscribers with one {@link EventLoop#execute}, not one per subscriber.
 *
 * <pre>
 *   publish(m) ── encode once: text, WebSocket frame, SSE event (only the kinds subscribed)
 *      ├── loop 0.execute ──► ws1.writeShared(frame), ws2.writeShared(frame), sse1.write(event) ...
 *      └── loop 1.execute ──► ws7.writeShared(frame), consumer.accept(m) ...
 * </pre>
 *
 * Streams that implement the {@link SharedWriter} SPI get the pre-encoded bytes: server-side
 * WebSockets receive the same read-only frame buffer: {@code Connection.writeShared}
 * queues a view of it, so a broadcast to ten thousand sockets encodes one frame and copies nothing
 * per socket. Each socket still applies its own slow-consumer budget. SSE events are encoded once
 * too, then copied into each response's chunk. Subscribers are removed when their stream closes.
 *
 * <p><b>Threading:</b> any thread may publish and subscribe with a loop; the WebSocket and SSE
 * adapters are called on the stream's loop. Each loop's subscriber list is touched only by that
 * loop; the per-loop counters publishers read to skip idle loops are atomic.
 *
 * @param <T> the message type
 */
public final class LocalTopic<T> implements Topic<T> {
    private final String name;
    private final Function<? super T, String> toText;
    private final ConcurrentHashMap<EventLoop, LoopSubscribers<T>> loops = new ConcurrentHashMap<>();
    final AtomicInteger frameSubscribers = new AtomicInteger();
    final AtomicInteger eventSubscribers = new AtomicInteger();
    private final LongAdder published = new LongAdder();

    private LocalTopic(String name, Function<? super T, String> toText) {
        this.name = Objects.requireNonNull(name, "name");
        this.toText = Objects.requireNonNull(toText, "toText");
    }

    /**
     * @param name the topic's name
     * @return a topic of text messages
     */
    public static LocalTopic<String> create(String name) {
        return new LocalTopic<>(name, s -> s);
    }

    /**
     * @param <T> message type
     * @param name the topic's name
     * @param toText how a message becomes WebSocket text or SSE data (JSON, say); called once per
     *     publish, on the publishing thread
     * @return a topic
     */
    public static <T> LocalTopic<T> create(String name, Function<? super T, String> toText) {
        return new LocalTopic<>(name, toText);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void publish(T message) {
        Objects.requireNonNull(message, "message");
        published.increment();
        Encoded<T> enc = null;
        for (LoopSubscribers<T> ls : loops.values()) {
            if (ls.count() == 0) {
                continue;
            }
            if (enc == null) {
                enc = Encoded.of(message, toText, frameSubscribers.get() > 0, eventSubscribers.get() > 0);
            }
            Encoded<T> e = enc;
            try {
                ls.loop().execute("topic " + name, () -> ls.deliver(e));
            } catch (LoopClosedException closed) {
                loops.remove(ls.loop(), ls); // its streams are gone with it
            }
        }
    }

    @Override
    public Subscription subscribe(EventLoop loop, Consumer<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        return add(loop, new LoopSubscribers.Sub<T>(LoopSubscribers.Kind.CONSUMER, subscriber, null));
    }

    /**
     * Server sockets get the shared frame; client sockets, which must mask every frame, get a
     * {@code sendText} each.
     */
    @Override
    public Subscription subscribe(WebSocket socket) {
        if (socket instanceof SharedWriter w && w.sharedFormat() == SharedWriter.Format.WEBSOCKET_TEXT_FRAME) {
            checkLoop(w.loop());
            return addSink(w, LoopSubscribers.Kind.FRAME);
        }
        return Topic.super.subscribe(socket);
    }

    @Override
    public Subscription subscribe(SseStream stream) {
        if (stream instanceof SharedWriter sink && sink.sharedFormat() == SharedWriter.Format.SSE_EVENT) {
            checkLoop(sink.loop());
            return addSink(sink, LoopSubscribers.Kind.EVENT);
        }
        return Topic.super.subscribe(stream);
    }

    private Subscription addSink(SharedWriter sink, LoopSubscribers.Kind kind) {
        LoopSubscribers.Entry<T> e = add(sink.loop(), new LoopSubscribers.Sub<>(kind, null, sink));
        sink.onTerminated(e::cancel);
        return e;
    }

    private LoopSubscribers.Entry<T> add(EventLoop loop, LoopSubscribers.Sub<T> sub) {
        LoopSubscribers<T> ls = loops.computeIfAbsent(loop, l -> new LoopSubscribers<>(l, this));
        return ls.add(sub);
    }

    String text(Encoded<T> e) {
        return e.text() != null ? e.text() : toText.apply(e.message());
    }

    private static void checkLoop(EventLoop loop) {
        if (!loop.inLoop()) {
            throw new IllegalStateException("subscribe a stream on its own loop " + loop.name()
                    + "; called from " + Thread.currentThread().getName());
        }
    }

    /** @return active subscribers across loops (read without locking: a snapshot) */
    public int subscribers() {
        int n = 0;
        for (LoopSubscribers<T> ls : loops.values()) {
            n += ls.count();
        }
        return n;
    }

    /** @return messages published so far */
    public long published() {
        return published.sum();
    }

    @Override
    public String toString() {
        return "LocalTopic[" + name + ", " + subscribers() + " subscribers]";
    }
}
