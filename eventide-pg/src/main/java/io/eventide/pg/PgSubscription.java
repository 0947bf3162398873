package io.eventide.pg;

/**
 * A LISTEN registration made by {@link PgClient#listen}; {@link #close()} removes its handler (and
 * UNLISTENs the channel when it was the last one).
 *
 * <p><b>Threading:</b> any thread.
 */
public final class PgSubscription implements AutoCloseable {
    private final String channel;
    private final Runnable undo;
    private boolean closed;

    PgSubscription(String channel, Runnable undo) {
        this.channel = channel;
        this.undo = undo;
    }

    /** @return the channel */
    public String channel() {
        return channel;
    }

    /** Stops delivering notifications to this handler. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            undo.run();
        }
    }
}
