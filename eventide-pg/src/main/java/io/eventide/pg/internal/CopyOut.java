package io.eventide.pg.internal;

import io.eventide.core.Promise;
import io.eventide.pg.PgException;
import io.eventide.pg.internal.codec.Wire;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * COPY ... TO STDOUT: CopyOutResponse, CopyData per row (or chunk), CopyDone, CommandComplete,
 * ReadyForQuery. Pausing stops reading the socket: the server blocks on its full send buffer, which
 * is the backpressure the protocol offers (it has no flow control of its own).
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class CopyOut implements Command {
    private final String sql;
    private final Consumer<ByteBuffer> onData;
    private final Promise<Long> done;
    private WireConnection conn;
    private boolean paused;
    private long rows;
    private PgException error;

    CopyOut(String sql, Consumer<ByteBuffer> onData, Promise<Long> done) {
        this.sql = sql;
        this.onData = onData;
        this.done = done;
    }

    @Override
    public Object promise() {
        return done;
    }

    @Override
    public void encode(WireConnection c, Wire w) {
        conn = c;
        Messages.query(w, sql);
    }

    @Override
    public boolean message(WireConnection c, byte type, ByteBuffer body) {
        switch (type) {
            case 'H', 'c', 'T', 'D' -> { }
            case 'd' -> {
                if (error == null) {
                    deliver(c, body);
                }
            }
            case 'C' -> {
                String tag = Backend.cstring(body);
                int sp = tag.lastIndexOf(' ');
                rows = sp < 0 ? 0 : Long.parseLong(tag.substring(sp + 1));
            }
            case 'E' -> {
                error = Backend.error(body);
                c.noteError(error);
            }
            case 'G' -> c.send(w -> Messages.copyFail(w, "COPY FROM STDIN through copyOut"));
            case 'Z' -> {
                if (error != null) {
                    done.reject(error);
                } else {
                    done.resolve(rows);
                }
                return true;
            }
            default -> throw new IllegalStateException("unexpected message in COPY TO STDOUT");
        }
        return false;
    }

    private void deliver(WireConnection c, ByteBuffer body) {
        try {
            onData.accept(body);
        } catch (RuntimeException e) {
            // The consumer failed mid-copy: the rest cannot be stopped without a cancel; drop it.
            error = new PgException("XX000", "COPY data handler threw: " + e, e);
            c.loop().reportUncaught(e);
            c.sendCancel();
        }
    }

    /** Stops reading: the server waits on its send buffer. */
    public void pause() {
        if (!paused && !done.isDone()) {
            paused = true;
            conn.pauseReading();
        }
    }

    /** Reads again. */
    public void resume() {
        if (paused) {
            paused = false;
            conn.resumeReading();
        }
    }

    @Override
    public void fail(Throwable cause) {
        done.reject(error != null ? error : cause);
    }
}
