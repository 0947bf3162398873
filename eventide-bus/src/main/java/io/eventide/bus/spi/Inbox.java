package io.eventide.bus.spi;

import io.eventide.bus.BusConsumer;
import io.eventide.bus.BusException;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Delivery;
import io.eventide.bus.Handler;
import io.eventide.bus.Overflow;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopClosedException;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The loop side of one consumer: messages arrive from any thread (another loop, a broker client's
 * thread), wait in a bounded queue, and run through the handler on the consumer's loop with at most
 * {@code credit} handler promises pending. When a promise settles, the {@link Settler} hears of it
 * (a bridge acknowledges the broker message there) and the next queued message starts.
 *
 * <pre>
 *   offer(d, token) ─ any thread ─► [ queue ≤ capacity ] ─ loop ─► handler(d) ─► promise settles
 *        ▲                                                                         │
 *        └──── credit(): credit − outstanding, read by poll threads ◄── settler(token, failure)
 * </pre>
 *
 * <p>Local consumers use {@code capacity} and the {@link Overflow} policy; broker consumers give the
 * broker exactly {@link #credit()} (prefetch, partition pause, pull batch), so their queue never
 * holds more than the credit and nothing overflows.
 *
 * <p>On {@link #cancel()}, queued messages are settled with a {@link BusException} (a bridge returns
 * them to the broker) and messages still offered are refused the same way.
 *
 * <p><b>Threading:</b> {@link #offer} and the counters: any thread. The queue and the handler are
 * loop-confined; {@code outstanding} (queued + running) is atomic because offering threads check
 * the bound against it.
 *
 * @param <T> what the bridge needs to settle a message (a delivery tag, a record, a broker message)
 */
public final class Inbox<T> implements BusConsumer {
    /**
     * Hears that a message's handler finished. Runs on the consumer's loop and must not block:
     * a bridge hands the acknowledgement to its own thread.
     *
     * @param <T> the token type
     */
    @FunctionalInterface
    public interface Settler<T> {
        /**
         * @param token what the bridge gave {@link Inbox#offer}
         * @param failure null when the handler's promise resolved; else why it failed (or the
         *     {@link BusException} of a cancelled consumer, or an {@link OverloadException} of a
         *     message dropped by {@link Overflow#DROP_OLDEST})
         */
        void settled(T token, Throwable failure);
    }

    private record Entry<T>(Delivery delivery, T token) {
    }

    private final EventLoop loop;
    private final String address;
    private final ConsumerOptions options;
    private final Handler handler;
    private final Settler<T> settler;
    private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final LongAdder processed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean active = true;
    private volatile Runnable onCredit = () -> { };
    private volatile Runnable onCancel = () -> { };
    private volatile int running; // written on the loop only; volatile for the counters

    /**
     * @param loop where the handler runs
     * @param address what it consumes, for errors and the watchdog
     * @param options credit, capacity and overflow policy
     * @param handler the application's handler
     * @param settler told when each message is done
     */
    public Inbox(EventLoop loop, String address, ConsumerOptions options, Handler handler, Settler<T> settler) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.address = Objects.requireNonNull(address, "address");
        this.options = Objects.requireNonNull(options, "options");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /**
     * @param r run on the loop each time a handler promise settles, after the settler: a bridge
     *     asks its broker for more here (more pulls, a resumed partition)
     * @return this
     */
    public Inbox<T> onCredit(Runnable r) {
        this.onCredit = Objects.requireNonNull(r, "r");
        return this;
    }

    /**
     * @param r run once, on the calling thread, when {@link #cancel()} is first called
     * @return this
     */
    public Inbox<T> onCancel(Runnable r) {
        this.onCancel = Objects.requireNonNull(r, "r");
        return this;
    }

    /** @return the loop the handler runs on */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Hands one message to the consumer. Any thread. Past {@code credit + capacity} outstanding
     * messages the overflow policy decides: {@link Overflow#REJECT} and {@link Overflow#DROP_NEWEST}
     * refuse it here (counted), {@link Overflow#DROP_OLDEST} takes it and settles the oldest queued
     * one with an {@link OverloadException}.
     *
     * @param delivery the message
     * @param token handed back to the settler
     * @return false when refused (full, or cancelled); the caller still owns {@code token}
     */
    public boolean offer(Delivery delivery, T token) {
        if (!active) {
            return false;
        }
        int n = outstanding.incrementAndGet();
        if (n > options.credit() + options.capacity() && options.overflow() != Overflow.DROP_OLDEST) {
            outstanding.decrementAndGet();
            dropped.increment();
            return false;
        }
        Entry<T> e = new Entry<>(delivery, token);
        try {
            loop.execute(() -> enqueue(e));
        } catch (LoopClosedException closed) {
            outstanding.decrementAndGet();
            return false;
        }
        return true;
    }

    private void enqueue(Entry<T> e) {
        if (!active) {
            finish(e, new BusException("consumer of " + address + " was cancelled"));
            return;
        }
        queue.add(e);
        if (queue.size() > options.capacity() && running >= options.credit()) {
            Entry<T> oldest = queue.poll(); // only DROP_OLDEST gets past the bound checked in offer
            dropped.increment();
            finish(oldest, new OverloadException("consumer queue of " + address + " is full (capacity "
                    + options.capacity() + "); dropped the oldest message"));
            return;
        }
        pump();
    }

    private void pump() {
        Entry<T> e;
        while (running < options.credit() && (e = queue.poll()) != null) {
            running++;
            start(e);
        }
    }

    private void start(Entry<T> e) {
        Promise<?> p;
        try {
            p = handler.handle(e.delivery());
        } catch (RuntimeException ex) {
            loop.reportUncaught(new BusException("handler of " + address + " threw", ex));
            done(e, ex);
            return;
        }
        if (p == null) {
            done(e, null);
        } else if (p.loop() == loop) {
            p.whenComplete((v, err) -> done(e, err));
        } else {
            p.whenComplete((v, err) -> loop.execute(() -> done(e, err)));
        }
    }

    private void done(Entry<T> e, Throwable failure) {
        running--;
        processed.increment();
        finish(e, failure);
        pump();
        try {
            onCredit.run();
        } catch (RuntimeException ex) {
            loop.reportUncaught(ex);
        }
    }

    private void finish(Entry<T> e, Throwable failure) {
        outstanding.decrementAndGet();
        try {
            settler.settled(e.token(), failure);
        } catch (RuntimeException ex) {
            loop.reportUncaught(new BusException("settling a message of " + address + " failed", ex));
        }
    }

    /** @return how many more messages the consumer takes now: credit minus outstanding, at least 0 */
    public int credit() {
        return Math.max(0, options.credit() - outstanding.get());
    }

    /** @return the configured credit */
    public int maxCredit() {
        return options.credit();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void cancel() {
        if (!active) {
            return;
        }
        active = false;
        try {
            onCancel.run();
        } finally {
            execOnLoop(this::drainCancelled);
        }
    }

    private void drainCancelled() {
        Entry<T> e;
        while ((e = queue.poll()) != null) {
            finish(e, new BusException("consumer of " + address + " was cancelled"));
        }
    }

    private void execOnLoop(Runnable r) {
        if (loop.inLoop()) {
            r.run();
        } else {
            try {
                loop.execute(r);
            } catch (LoopClosedException closed) {
                // The loop is gone and its queue with it: nothing is left to settle there.
            }
        }
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public int queued() {
        return Math.max(0, outstanding.get() - running);
    }

    @Override
    public int inFlight() {
        return running;
    }

    @Override
    public long processed() {
        return processed.sum();
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public String toString() {
        return "Inbox[" + address + " on " + loop.name() + ", outstanding " + outstanding.get() + "]";
    }
}
