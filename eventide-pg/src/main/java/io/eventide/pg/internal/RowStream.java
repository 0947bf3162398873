package io.eventide.pg.internal;

import io.eventide.core.Promise;
import io.eventide.pg.Columns;
import io.eventide.pg.PgException;
import io.eventide.pg.Row;
import io.eventide.pg.internal.codec.ParamEncoder;
import io.eventide.pg.internal.codec.Wire;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A result read a bounded number of rows at a time: Execute with a row limit, then Flush (no Sync,
 * so the portal survives); PortalSuspended says there is more, and the next Execute goes out only
 * while the consumer is not paused. Pausing also stops reading the socket, so at most one batch
 * plus the socket buffers is ever held, whatever the result's size.
 *
 * <pre>
 *   Parse? Bind Describe? Execute(n) Flush ─► rows... PortalSuspended ─► Execute(n) Flush ─► ...
 *   ─► CommandComplete ─► Sync ─► ReadyForQuery        close(): Close(portal) Sync
 * </pre>
 *
 * Only an already described cached statement is used by name (so its rows come in binary); anything
 * else runs unnamed, because closing an evicted statement mid-stream would need a Sync, which would
 * end the portal.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class RowStream implements Command {
    private static final short[] TEXT = {};

    private final String sql;
    private final Object[] params;
    private final int fetch;
    private final Consumer<Row> onRow;
    private final Promise<Long> done;
    private WireConnection conn;
    private Columns columns;
    private boolean[] binary;
    private boolean paused;
    private boolean suspended;
    private boolean closing;
    private boolean syncSent;
    private long count;
    private PgException error;

    RowStream(String sql, Object[] params, int fetch, Consumer<Row> onRow, Promise<Long> done) {
        this.sql = sql;
        this.params = params;
        this.fetch = fetch;
        this.onRow = onRow;
        this.done = done;
    }

    @Override
    public Object promise() {
        return done;
    }

    @Override
    public void encode(WireConnection c, Wire w) {
        conn = c;
        int[] oids = new int[params.length];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = ParamEncoder.oid(params[i]);
        }
        Statement s = c.statements().enabled() ? c.statements().get(sql, oids) : null;
        if (s != null && s.described() && s.parseError == null) {
            columns = s.columns;
            binary = s.binary;
            Messages.bind(w, "", s.name, params, s.resultFormats);
        } else {
            Messages.parse(w, "", sql, oids);
            Messages.bind(w, "", "", params, TEXT);
            Messages.describe(w, 'P', "");
        }
        Messages.execute(w, "", fetch);
        Messages.flush(w);
    }

    @Override
    public boolean message(WireConnection c, byte type, ByteBuffer body) {
        switch (type) {
            case '1', '2', '3' -> { }
            case 'T' -> columns = Backend.rowDescription(body);
            case 'n' -> columns = Columns.NONE;
            case 'D' -> row(c, body);
            case 's' -> suspendedAt(c);
            case 'C' -> sync(c);
            case 'E' -> {
                error = Backend.error(body);
                c.noteError(error);
                sync(c); // the server skips everything up to a Sync
            }
            case 'Z' -> {
                if (error != null) {
                    done.reject(error);
                } else {
                    done.resolve(count);
                }
                return true;
            }
            default -> throw new IllegalStateException("unexpected message in a row stream");
        }
        return false;
    }

    private void row(WireConnection c, ByteBuffer body) {
        if (closing) {
            return;
        }
        Row r = Backend.dataRow(body, columns, binary);
        count++;
        try {
            onRow.accept(r);
        } catch (RuntimeException e) {
            // The consumer failed: stop the stream, report its exception.
            error = new PgException("XX000", "row handler threw: " + e, e);
            closing = true;
            c.loop().reportUncaught(e);
        }
    }

    private void suspendedAt(WireConnection c) {
        suspended = true;
        if (closing) {
            c.send(w -> {
                Messages.close(w, 'P', "");
                Messages.sync(w);
            });
            syncSent = true;
        } else if (!paused) {
            next(c);
        }
    }

    private void next(WireConnection c) {
        suspended = false;
        c.send(w -> {
            Messages.execute(w, "", fetch);
            Messages.flush(w);
        });
    }

    private void sync(WireConnection c) {
        if (!syncSent) {
            syncSent = true;
            c.send(Messages::sync);
        }
    }

    /** Stops reading: no rows until {@link #resume()}. */
    public void pause() {
        if (!paused && !done.isDone()) {
            paused = true;
            conn.pauseReading();
        }
    }

    /** Reads again, and asks for the next batch if the last one ended. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        conn.resumeReading();
        if (suspended && !closing && !syncSent) {
            next(conn);
        }
    }

    /** Ends early: the rows still coming are dropped and the portal closed. */
    public void close() {
        if (closing || done.isDone()) {
            return;
        }
        closing = true;
        if (suspended && !syncSent) {
            suspendedAt(conn);
        }
        if (paused) {
            paused = false;
            conn.resumeReading();
        }
    }

    /** @return whether the stream is still running */
    public boolean isOpen() {
        return !done.isDone();
    }

    /** @return rows delivered so far */
    public long count() {
        return count;
    }

    @Override
    public void fail(Throwable cause) {
        done.reject(error != null ? error : cause);
    }
}
