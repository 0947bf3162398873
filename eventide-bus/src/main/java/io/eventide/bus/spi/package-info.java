/**
 * What a broker bridge implements ({@link io.eventide.bus.spi.Transport}) and the loop-side
 * machinery bridges share ({@link io.eventide.bus.spi.Inbox}: bounded queue, credit, settle).
 */
package io.eventide.bus.spi;
