/**
 * Eventide's core: event loops, promises, timers, buffers, workers, the watchdog, TCP and TLS,
 * files ({@code io.eventide.core.fs}) and name resolution ({@code io.eventide.core.dns}), on the
 * JDK alone. Internals ({@code *.internal}) are not exported: no other module needs them.
 */
module io.eventide.core {
    exports io.eventide.core;
    exports io.eventide.core.spi;
    exports io.eventide.core.net;
    exports io.eventide.core.tls;
    exports io.eventide.core.fs;
    exports io.eventide.core.dns;

    uses io.eventide.core.spi.BlockedLoopListener;
}
