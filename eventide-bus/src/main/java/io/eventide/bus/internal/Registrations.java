package io.eventide.bus.internal;

import io.eventide.bus.spi.Inbox;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local consumers and subscribers of one address. Arrays are copied on change (registering is
 * rare, delivering is hot), so a sender reads a consistent snapshot without a lock.
 *
 * <p><b>Threading:</b> any thread; changes are synchronized on this object, reads are volatile.
 */
public final class Registrations {
    private static final Inbox<?>[] NONE = new Inbox<?>[0];
    private volatile Inbox<?>[] consumers = NONE;
    private volatile Inbox<?>[] subscribers = NONE;
    private final AtomicInteger next = new AtomicInteger();

    /** @return consumers competing for sends (snapshot) */
    public Inbox<?>[] consumers() {
        return consumers;
    }

    /** @return subscribers receiving publishes (snapshot) */
    public Inbox<?>[] subscribers() {
        return subscribers;
    }

    /** @return where round-robin starts for the next send */
    public int nextIndex() {
        return next.getAndIncrement() & Integer.MAX_VALUE;
    }

    /** @param inbox a consumer @param subscriber whether it receives publishes rather than sends */
    public synchronized void add(Inbox<?> inbox, boolean subscriber) {
        Inbox<?>[] a = subscriber ? subscribers : consumers;
        Inbox<?>[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = inbox;
        if (subscriber) {
            subscribers = b;
        } else {
            consumers = b;
        }
    }

    /** @param inbox a consumer to remove, if present */
    public synchronized void remove(Inbox<?> inbox) {
        consumers = without(consumers, inbox);
        subscribers = without(subscribers, inbox);
    }

    /** @return whether no consumer or subscriber is left */
    public boolean isEmpty() {
        return consumers.length == 0 && subscribers.length == 0;
    }

    private static Inbox<?>[] without(Inbox<?>[] a, Inbox<?> x) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == x) {
                Inbox<?>[] b = new Inbox<?>[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                return b;
            }
        }
        return a;
    }
}
