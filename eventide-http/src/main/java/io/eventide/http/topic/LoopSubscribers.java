package io.eventide.http.topic;

import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.http.spi.SharedWriter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The subscribers of one topic on one loop, and the deliveries in progress there. The array is
 * copied on every change (subscribing is rare, delivering is hot), so a subscriber may cancel itself
 * or others while a delivery iterates over its snapshot.
 *
 * <p><b>Threading:</b> the array is loop-confined; {@link #count()} and the topic's per-kind
 * counters are atomic because publishers on any thread read them to skip work. Counters move when
 * a subscription is made or cancelled (any thread), the array when the loop gets to it.
 *
 * @param <T> the message type
 */
final class LoopSubscribers<T> {
    enum Kind { CONSUMER, FRAME, EVENT }

    /** What to deliver to: a consumer, or a stream taking pre-encoded bytes. */
    record Sub<T>(Kind kind, Consumer<? super T> consumer, SharedWriter sink) {
    }

    /** One subscription; also its handle. */
    static final class Entry<T> implements Subscription {
        private final Sub<T> sub;
        private final LoopSubscribers<T> owner;
        private final AtomicBoolean active = new AtomicBoolean(true);

        Entry(Sub<T> sub, LoopSubscribers<T> owner) {
            this.sub = sub;
            this.owner = owner;
        }

        @Override
        public void cancel() {
            if (active.compareAndSet(true, false)) {
                owner.counted(sub.kind(), -1);
                owner.onLoop(() -> owner.remove(this));
            }
        }

        @Override
        public boolean isActive() {
            return active.get();
        }
    }

    /** Subscribers served per loop task before yielding. */
    static final int BATCH = 256;
    private static final Entry<?>[] EMPTY = new Entry<?>[0];

    private final EventLoop loop;
    private final LocalTopic<T> topic;
    private final AtomicInteger count = new AtomicInteger();
    private Entry<?>[] entries = EMPTY;
    // The delivery in progress (loop-confined): which publish, over which snapshot, how far.
    private final ArrayDeque<Encoded<T>> pending = new ArrayDeque<>();
    private Encoded<T> current;
    private Entry<?>[] snapshot;
    private int cursor;
    private ByteBuffer frame;
    private ByteBuffer event;
    private boolean scheduled;

    LoopSubscribers(EventLoop loop, LocalTopic<T> topic) {
        this.loop = loop;
        this.topic = topic;
    }

    EventLoop loop() {
        return loop;
    }

    int count() {
        return count.get();
    }

    Entry<T> add(Sub<T> sub) {
        Entry<T> e = new Entry<>(sub, this);
        counted(sub.kind(), 1);
        onLoop(() -> {
            if (e.isActive()) {
                Entry<?>[] a = Arrays.copyOf(entries, entries.length + 1);
                a[a.length - 1] = e;
                entries = a;
            }
        });
        return e;
    }

    private void remove(Entry<T> e) {
        Entry<?>[] a = entries;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == e) {
                Entry<?>[] b = new Entry<?>[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                entries = b;
                return;
            }
        }
    }

    private void counted(Kind kind, int delta) {
        count.addAndGet(delta);
        if (kind == Kind.FRAME) {
            topic.frameSubscribers.addAndGet(delta);
        } else if (kind == Kind.EVENT) {
            topic.eventSubscribers.addAndGet(delta);
        }
    }

    private void onLoop(Runnable r) {
        if (loop.inLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    /** Queues one publish for every subscriber here, behind earlier ones. Loop thread. */
    void deliver(Encoded<T> enc) {
        pending.add(enc);
        if (!scheduled) {
            drain();
        }
    }

    /**
     * Writes to at most {@value #BATCH} subscribers, then yields the loop (its I/O and timers run)
     * and continues in a new task: a broadcast to ten thousand sockets is ten thousand syscalls,
     * and must not hold the loop for all of them. Publishes are finished strictly in order, so each
     * subscriber sees the publisher's order even when a delivery spans several tasks.
     */
    private void drain() {
        scheduled = false;
        for (int budget = BATCH; budget > 0; budget--) {
            if (current == null) {
                Encoded<T> next = pending.poll();
                if (next == null) {
                    return;
                }
                current = next;
                snapshot = entries;
                cursor = 0;
                frame = next.frame();
                event = next.event();
            }
            if (cursor < snapshot.length) {
                deliverTo(snapshot[cursor++]);
            } else {
                current = null;
                budget++; // finishing a publish costs no write
            }
        }
        scheduled = true;
        loop.execute("topic " + topic.name(), this::drain);
    }

    @SuppressWarnings("unchecked")
    private void deliverTo(Entry<?> raw) {
        Entry<T> e = (Entry<T>) raw;
        if (!e.isActive()) {
            return;
        }
        Sub<T> s = e.sub;
        try {
            switch (s.kind()) {
                case CONSUMER -> s.consumer().accept(current.message());
                case FRAME -> {
                    // Subscribed after the publisher looked: encode here, once for this loop.
                    frame = frame != null ? frame : Encoded.frame(topic.text(current));
                    s.sink().writeShared(frame);
                }
                case EVENT -> {
                    event = event != null ? event : Encoded.event(topic.text(current));
                    s.sink().writeShared(event);
                }
            }
        } catch (RuntimeException ex) {
            loop.reportUncaught(new EventideException("subscriber of topic " + topic.name() + " threw", ex));
        }
    }
}
