/**
 * Glue between the event bus and eventide-http, kept apart so that neither depends on the other:
 * a bus-backed {@code Topic} and the load-levelling routes.
 */
module io.eventide.bus.http {
    requires transitive io.eventide.bus;
    requires transitive io.eventide.http;

    exports io.eventide.bus.http;
}
