package io.eventide.pg.internal;

import io.eventide.pg.internal.codec.Wire;
import java.nio.ByteBuffer;

/** Close of a prepared statement evicted from the cache, with its own Sync: CloseComplete, ReadyForQuery. */
final class CloseStatement implements Command {
    private final Statement statement;

    CloseStatement(Statement statement) {
        this.statement = statement;
    }

    @Override
    public void encode(WireConnection c, Wire w) {
        statement.closed = true;
        Messages.close(w, 'S', statement.name);
        Messages.sync(w);
    }

    @Override
    public boolean message(WireConnection c, byte type, ByteBuffer body) {
        if (type == 'E') {
            c.noteError(Backend.error(body));
        }
        return type == 'Z';
    }

    @Override
    public void fail(Throwable cause) {
        // Nobody waits for a Close: the statement dies with the connection anyway.
    }
}
