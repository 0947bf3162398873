package io.eventide.pg.internal;

import io.eventide.core.Promise;
import io.eventide.pg.PgException;
import io.eventide.pg.internal.codec.Wire;
import java.nio.ByteBuffer;

/**
 * COPY ... FROM STDIN over the simple protocol: Query, CopyInResponse, then CopyData messages as the
 * caller writes them, CopyDone (or CopyFail), CommandComplete, ReadyForQuery. {@link #write}
 * reports backpressure from the socket's write queue; the server's errors arrive at any time and
 * end the copy (later writes are dropped).
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class CopyIn implements Command {
    /** Encoded bytes are handed to the socket once this many are waiting, not only at the end of the turn. */
    private static final int FLUSH_AT = 64 * 1024;

    private final String sql;
    private final Promise<CopyIn> started;
    private final Promise<Long> done;
    private WireConnection conn;
    private boolean copying;
    private boolean ended;
    private long rows;
    private PgException error;

    CopyIn(String sql, Promise<CopyIn> started, Promise<Long> done) {
        this.sql = sql;
        this.started = started;
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
            case 'G' -> {
                copying = true;
                started.resolve(this);
            }
            case 'C' -> {
                String tag = Backend.cstring(body);
                rows = Long.parseLong(tag.substring(tag.lastIndexOf(' ') + 1));
            }
            case 'E' -> {
                error = Backend.error(body);
                c.noteError(error);
                copying = false;
            }
            case 'Z' -> {
                if (error != null) {
                    started.reject(error);
                    done.reject(error);
                } else if (!started.isDone()) {
                    PgException notCopy = new PgException("42601", "not a COPY FROM STDIN statement: " + sql, null);
                    started.reject(notCopy);
                    done.reject(notCopy);
                } else {
                    done.resolve(rows);
                }
                return true;
            }
            case 'H', 'd', 'c', 'T', 'D' -> { } // not COPY FROM STDIN: ignored, reported at ReadyForQuery
            default -> throw new IllegalStateException("unexpected message in COPY FROM STDIN");
        }
        return false;
    }

    /**
     * @param data bytes of COPY data (any split; rows may span calls); consumed
     * @return false when the socket's queue is past its high watermark: wait for {@link #onDrain}
     */
    public boolean write(ByteBuffer data) {
        if (ended) {
            throw new IllegalStateException("write after end() of a COPY");
        }
        if (!copying) {
            data.position(data.limit()); // the server ended the copy with an error: done will say which
            return true;
        }
        conn.send(w -> Messages.copyData(w, data));
        if (conn.outSize() >= FLUSH_AT) {
            conn.flush();
        }
        return conn.writable();
    }

    /** @param r called when the socket's queue drained after {@link #write} returned false */
    public void onDrain(Runnable r) {
        conn.onDrain(r);
    }

    /** @return the number of rows copied, once the server confirmed */
    public Promise<Long> end() {
        if (!ended) {
            ended = true;
            if (copying) {
                conn.send(Messages::copyDone);
            }
        }
        return done;
    }

    /**
     * Aborts the copy: nothing is written to the table.
     *
     * @param reason reported by the server in its error
     * @return rejected with the server's error (57014) once it confirmed
     */
    public Promise<Long> abort(String reason) {
        if (!ended) {
            ended = true;
            if (copying) {
                conn.send(w -> Messages.copyFail(w, reason));
            }
        }
        return done;
    }

    /** @return whether data may still be written */
    public boolean isOpen() {
        return copying && !ended;
    }

    @Override
    public void fail(Throwable cause) {
        Throwable e = error != null ? error : cause;
        started.reject(e);
        done.reject(e);
    }
}
