package io.eventide.http.topic;

/**
 * A subscriber's registration with a {@link Topic}.
 *
 * <p><b>Threading:</b> any thread; a cancel from another thread takes effect on the subscriber's
 * loop, so a message already on its way there may still arrive.
 */
public interface Subscription {
    /** Stops delivery; idempotent. */
    void cancel();

    /** @return whether messages are still delivered */
    boolean isActive();
}
