package io.eventide.bus;

import io.eventide.core.Promise;
import java.util.function.Consumer;

/**
 * Handles one delivery on the consumer's loop and says when it is done: the returned promise. The
 * message counts against the consumer's credit until that promise settles; then a broker bridge
 * acknowledges it (resolved) or returns it for redelivery (rejected, or the handler threw).
 *
 * <pre>{@code
 * bus.consume(loop, "orders", ConsumerOptions.defaults(), d -> db.insert(d.message().json(Order.class)));
 * bus.consume(loop, "pings", ConsumerOptions.defaults(), Handler.sync(d -> log(d.message().text())));
 * }</pre>
 *
 * <p><b>Threading:</b> called on the consumer's loop, never concurrently with itself for one
 * consumer; it must not block.
 */
@FunctionalInterface
public interface Handler {
    /**
     * @param delivery the message, on the consumer's loop
     * @return settles when the message is processed
     */
    Promise<?> handle(Delivery delivery);

    /**
     * @param action a handler that is done when it returns
     * @return a handler whose work is done when {@code action} returns
     */
    static Handler sync(Consumer<? super Delivery> action) {
        return d -> {
            action.accept(d);
            return Promise.resolved(d.loop(), null);
        };
    }
}
