package io.eventide.pg.internal;

/**
 * A pooled connection and what its {@link LoopPool} knows of it: when it expires (lifetime less
 * jitter), since when it is idle, whether it is leased or being given back, and which waiting lease
 * it drains for. Loop-confined, like its pool.
 */
final class Pooled {
    final WireConnection wire;
    final long expires;
    long idleSince = System.nanoTime();
    boolean leased;
    boolean releasing;
    boolean rollbackSent;
    Waiter reservedFor;

    Pooled(WireConnection wire, long expires) {
        this.wire = wire;
        this.expires = expires;
    }

    /** @return not leased and nothing in flight */
    boolean idle() {
        return !leased && wire.inflight() == 0;
    }
}
