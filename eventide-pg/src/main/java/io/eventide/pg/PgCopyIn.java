package io.eventide.pg;

import io.eventide.core.Promise;
import io.eventide.pg.internal.CopyIn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@code COPY ... FROM STDIN} in progress, from {@link PgClient#copyIn} or {@link PgSession#copyIn}.
 * Write the data in the COPY's format (any split), honour backpressure, then {@link #end()}:
 *
 * <pre>{@code
 * pg.copyIn("COPY t (id, name) FROM STDIN").onSuccess(copy -> {
 *     Runnable pump = () -> { while (more() && copy.write(nextLine())) { } if (!more()) copy.end(); };
 *     copy.onDrain(pump);
 *     pump.run();
 * });
 * }</pre>
 *
 * <p><b>Threading:</b> loop-confined to the loop its promise completed on.
 */
public final class PgCopyIn {
    private final CopyIn inner;
    private final Promise<Long> done;

    PgCopyIn(CopyIn inner, Promise<Long> done) {
        this.inner = inner;
        this.done = done;
    }

    /**
     * @param data COPY data; consumed
     * @return false when the socket's queue is full: stop and wait for {@link #onDrain}
     * @throws IllegalStateException after {@link #end()} or {@link #abort}
     */
    public boolean write(ByteBuffer data) {
        return inner.write(data);
    }

    /** @param text COPY data, sent as UTF-8 @return like {@link #write(ByteBuffer)} */
    public boolean write(String text) {
        return inner.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** @param r called when writing may go on after {@link #write} returned false */
    public void onDrain(Runnable r) {
        inner.onDrain(r);
    }

    /** @return the number of rows copied, once the server committed them */
    public Promise<Long> end() {
        return inner.end();
    }

    /**
     * @param reason why; the server reports it back in its error
     * @return rejected with the server's error once the copy was abandoned (nothing is written)
     */
    public Promise<Long> abort(String reason) {
        return inner.abort(reason);
    }

    /** @return settled like {@link #end()} (also when the server ended the copy with an error) */
    public Promise<Long> done() {
        return done;
    }
}
