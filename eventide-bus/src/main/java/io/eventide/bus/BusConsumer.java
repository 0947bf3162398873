package io.eventide.bus;

/**
 * A registered consumer: its counters and a way to stop it.
 *
 * <p><b>Threading:</b> any thread; counters are snapshots. {@link #cancel()} takes effect on the
 * consumer's loop: a message already on its way there may still be handled.
 */
public interface BusConsumer {
    /** @return the address it consumes */
    String address();

    /** Stops delivery; idempotent. A broker consumer stops taking messages and releases its channel. */
    void cancel();

    /** @return whether it still receives messages */
    boolean isActive();

    /** @return messages waiting for credit */
    int queued();

    /** @return handler promises not settled yet */
    int inFlight();

    /** @return handler promises settled (resolved or rejected) so far */
    long processed();

    /** @return messages dropped or refused by the overflow policy so far */
    long dropped();
}
