package io.eventide.pg.internal;

import io.eventide.core.Promise;
import io.eventide.core.Timer;

/**
 * A request waiting for a connection of a {@link LoopPool}: a shared statement ({@link #command}) or
 * a lease ({@link #lease}), with the timer of its acquire deadline. Loop-confined.
 */
final class Waiter {
    final Command command;
    final Promise<Lease> lease;
    final long since = System.nanoTime();
    Timer deadline;

    Waiter(Command command, Promise<Lease> lease) {
        this.command = command;
        this.lease = lease;
    }
}
