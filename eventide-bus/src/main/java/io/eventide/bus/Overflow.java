package io.eventide.bus;

/**
 * What a consumer's bounded queue does with a message that arrives when it is full. Declared per
 * consumer ({@link ConsumerOptions#overflow()}); every dropped or refused message is counted
 * ({@link BusConsumer#dropped()}).
 *
 * <p>Broker consumers never overflow: their broker sends no more than the consumer's credit
 * (prefetch, paused partitions, pull batch), and the queue holds exactly that much.
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public enum Overflow {
    /** Refuse the new message: a {@code send} or {@code request} fails with {@code OverloadException}. */
    REJECT,
    /** Drop the new message silently (counted): for streams where newer is not more important. */
    DROP_NEWEST,
    /** Drop the oldest queued message to make room (counted): for state feeds where only the latest matters. */
    DROP_OLDEST
}
