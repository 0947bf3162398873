/**
 * Eventide's core: event loops, promises, timers, emitters, buffers, workers, the watchdog, TCP,
 * files and DNS, on the JDK alone. Internals ({@code *.internal}) are not exported.
 */
module io.eventide.core {
    exports io.eventide.core;
    exports io.eventide.core.spi;
    exports io.eventide.core.net;
    exports io.eventide.core.fs;
    exports io.eventide.core.dns;
}
