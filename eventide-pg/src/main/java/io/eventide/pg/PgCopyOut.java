package io.eventide.pg;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.pg.internal.CopyOut;

/**
 * A {@code COPY ... TO STDOUT} in progress, from {@link PgClient#copyOut} or
 * {@link PgSession#copyOut}. Data arrives in the handler given there; {@link #pause()} stops
 * reading the socket, so the server waits on its full send buffer (the protocol's only
 * backpressure).
 *
 * <p><b>Threading:</b> any thread: {@link #pause} and {@link #resume} called elsewhere hop to the
 * copy's loop; data and {@link #done()}'s reactions run on that loop.
 */
public final class PgCopyOut {
    private final EventLoop loop;
    private final Promise<Long> done;
    private CopyOut inner;
    private boolean pauseWanted;

    PgCopyOut(EventLoop loop, Promise<Long> done) {
        this.loop = loop;
        this.done = done;
    }

    void started(CopyOut c) {
        inner = c;
        if (pauseWanted) {
            c.pause();
        }
    }

    /** @return the number of rows copied, once the copy ended (or the failure) */
    public Promise<Long> done() {
        return done;
    }

    /** Stops reading until {@link #resume()}. */
    public void pause() {
        onLoop(() -> {
            pauseWanted = true;
            if (inner != null) {
                inner.pause();
            }
        });
    }

    /** Reads again. */
    public void resume() {
        onLoop(() -> {
            pauseWanted = false;
            if (inner != null) {
                inner.resume();
            }
        });
    }

    private void onLoop(Runnable r) {
        if (loop.inLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }
}
