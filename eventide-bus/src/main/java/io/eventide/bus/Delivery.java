package io.eventide.bus;

import io.eventide.core.EventLoop;

/**
 * One message handed to a {@link Handler}, on the consumer's loop.
 *
 * <p><b>Threading:</b> loop-confined: use it on the loop the handler runs on.
 */
public interface Delivery {
    /** @return the address (queue, topic, subject) it came from */
    String address();

    /** @return the message */
    Message message();

    /** @return the loop the handler runs on */
    EventLoop loop();

    /**
     * @return whether the broker delivered it before without an acknowledgement (a crash or a
     *     reconnect in between): the handler may be seeing it a second time
     */
    default boolean redelivered() {
        return false;
    }

    /** @return whether the sender waits for a {@link #reply} */
    default boolean isRequest() {
        return false;
    }

    /**
     * Answers a {@link Bus#request}. The first reply wins; later ones are ignored.
     *
     * @param reply the answer
     * @throws IllegalStateException if this delivery is not a request
     */
    default void reply(Message reply) {
        throw new IllegalStateException("message from " + address() + " is not a request; nobody waits for a reply");
    }

    /**
     * Fails a {@link Bus#request}: the requester's promise is rejected with a {@link BusException}
     * carrying {@code reason}.
     *
     * @param reason what went wrong, safe to show the requester
     * @throws IllegalStateException if this delivery is not a request
     */
    default void fail(String reason) {
        throw new IllegalStateException("message from " + address() + " is not a request; nobody waits for a reply");
    }
}
