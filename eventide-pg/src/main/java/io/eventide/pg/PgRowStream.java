package io.eventide.pg;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.pg.internal.RowStream;

/**
 * A result delivered row by row with backpressure, from {@link PgClient#stream} or
 * {@link PgSession#stream}: at most {@code fetchSize} rows are asked for at a time, and while the
 * stream is paused no more are asked for and the socket is not read, so a result of any size never
 * sits in memory.
 *
 * <pre>{@code
 * PgRowStream s = pg.stream("SELECT * FROM events", new Object[0], row -> {
 *     if (!out.write(render(row))) s.pause();       // the consumer is slower than the database
 * });
 * out.onDrain(s::resume);
 * s.done().onSuccess(n -> out.end());
 * }</pre>
 *
 * <p><b>Threading:</b> any thread: {@link #pause}, {@link #resume} and {@link #close} called
 * elsewhere hop to the stream's loop; rows and {@link #done()}'s reactions run on that loop (the
 * caller's loop when the stream was started on one).
 */
public final class PgRowStream {
    private final EventLoop loop;
    private final Promise<Long> done;
    private RowStream inner;
    private boolean pauseWanted;
    private boolean closeWanted;

    PgRowStream(EventLoop loop, Promise<Long> done) {
        this.loop = loop;
        this.done = done;
    }

    /** Called on the loop once the statement is sent. */
    void started(RowStream s) {
        inner = s;
        if (closeWanted) {
            s.close();
        } else if (pauseWanted) {
            s.pause();
        }
    }

    /** @return the number of rows delivered, once the result ended (or the failure) */
    public Promise<Long> done() {
        return done;
    }

    /** Stops the flow of rows until {@link #resume()}. */
    public void pause() {
        onLoop(() -> {
            pauseWanted = true;
            if (inner != null) {
                inner.pause();
            }
        });
    }

    /** Lets rows flow again. */
    public void resume() {
        onLoop(() -> {
            pauseWanted = false;
            if (inner != null) {
                inner.resume();
            }
        });
    }

    /** Ends the stream early; {@link #done()} then resolves with the rows delivered so far. */
    public void close() {
        onLoop(() -> {
            closeWanted = true;
            if (inner != null) {
                inner.close();
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
