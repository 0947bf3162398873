/**
 * Eventide core: event loops, promises, timers, buffers, workers, TCP, files
 * ({@code io.eventide.core.fs}) and name resolution ({@code io.eventide.core.dns}). Depends on the
 * JDK only.
 */
module io.eventide.core {
    exports io.eventide.core;
    exports io.eventide.core.net;
    exports io.eventide.core.fs;
    exports io.eventide.core.dns;
    exports io.eventide.core.spi;
    exports io.eventide.core.tls;
    // io.eventide.core.internal is not exported: no other module needs it.
    uses io.eventide.core.spi.BlockedLoopListener;
}
