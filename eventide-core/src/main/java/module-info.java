/**
 * Eventide core: event loops, promises, timers, emitters, buffers, workers and TCP. Depends on the
 * JDK only.
 */
module io.eventide.core {
    exports io.eventide.core;
    exports io.eventide.core.net;
    exports io.eventide.core.spi;
    // io.eventide.core.internal is not exported: no other module needs it.
}
