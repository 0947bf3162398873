package io.eventide.bus.spi;

import io.eventide.bus.Delivery;
import io.eventide.bus.Message;
import io.eventide.core.EventLoop;

/**
 * A delivery from a broker: what bridges hand to {@link Inbox#offer}.
 *
 * @param address the queue, topic or subject it came from
 * @param message the message
 * @param loop the consumer's loop
 * @param redelivered whether the broker says it was delivered before
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record BrokerDelivery(String address, Message message, EventLoop loop, boolean redelivered) implements Delivery {
}
