/**
 * The Eventide event bus: addresses reached by publish, send and request/reply across a process's
 * loops ({@code io.eventide.bus}), and the bridge SPI broker modules implement
 * ({@code io.eventide.bus.spi}). Depends on eventide-core and Jackson only; no broker client.
 */
module io.eventide.bus {
    requires transitive io.eventide.core;
    requires transitive com.fasterxml.jackson.databind;

    exports io.eventide.bus;
    exports io.eventide.bus.spi;
    // Internals are used by this module only.
}
