package io.eventide.core;

import java.util.Objects;

/**
 * A typed event name for an {@link Emitter}: {@code static final Event<String> MESSAGE =
 * Event.of("message");}. Two events are the same when their names are equal.
 *
 * @param name the event name
 * @param <T> the payload type listeners receive
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record Event<T>(String name) {
    /** The event an emitter raises for errors; see {@link Emitter#emit}. */
    public static final Event<Throwable> ERROR = new Event<>("error");

    /** Validates the name. */
    public Event {
        Objects.requireNonNull(name, "name");
    }

    /**
     * @param <T> payload type
     * @param name event name
     * @return the event
     */
    public static <T> Event<T> of(String name) {
        return new Event<>(name);
    }
}
