package io.eventide.pg.internal;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.pg.PgException;
import io.eventide.pg.PgNotification;
import io.eventide.pg.PgOptions;
import io.eventide.pg.RowSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * LISTEN on a connection of its own (never a pooled one: a pooled session would lose its LISTENs
 * to whoever uses it next, and would sit idle-timed-out). Every handler runs on the loop it was
 * registered from. When the connection drops, it reconnects with backoff (100 ms doubling to 5 s)
 * and LISTENs again on every channel; notifications sent while it was away are lost, as with any
 * PostgreSQL listener. Loop-confined to its own loop.
 *
 * <p><b>Threading:</b> loop-confined to its own loop; handlers run on theirs.
 */
public final class Listener {
    private static final System.Logger LOG = System.getLogger("io.eventide.pg");
    private static final long MAX_BACKOFF_MS = 5_000;

    private final EventLoop loop;
    private final PgOptions options;
    private final ServerMemory secrets;
    private final Map<String, List<Sub>> channels = new LinkedHashMap<>();
    private WireConnection wire;
    private Promise<WireConnection> connecting;
    private long backoffMs = 100;
    private boolean closed;

    /** A handler and the loop it runs on. */
    private record Sub(Consumer<PgNotification> handler, EventLoop loop) {
    }

    /**
     * @param loop the loop the LISTEN connection lives on
     * @param options settings
     * @param secrets the client's SCRAM cache
     */
    public Listener(EventLoop loop, PgOptions options, ServerMemory secrets) {
        this.loop = loop;
        this.options = options;
        this.secrets = secrets;
    }

    /** @return the listener's loop */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Adds a handler (on {@code handlerLoop}); LISTENs when the channel is new.
     *
     * @return settled once the server confirmed the LISTEN; the value undoes it
     */
    public Promise<Runnable> listen(String channel, Consumer<PgNotification> handler, EventLoop handlerLoop) {
        Promise<Runnable> result = loop.promise();
        if (closed) {
            result.reject(new PgException(PgException.CONNECTION_FAILURE, "the PostgreSQL client is closed", null));
            return result;
        }
        Sub sub = new Sub(handler, handlerLoop);
        boolean fresh = !channels.containsKey(channel);
        channels.computeIfAbsent(channel, k -> new ArrayList<>()).add(sub);
        Runnable undo = () -> loop.execute(() -> unlisten(channel, sub));
        if (!fresh && wire != null && !wire.isClosed()) {
            result.resolve(undo);
            return result;
        }
        connection().flatMap(w -> run(w, "LISTEN " + quote(channel))).whenComplete((v, err) -> {
            if (err != null) {
                remove(channel, sub);
                result.reject(err);
            } else {
                result.resolve(undo);
            }
        });
        return result;
    }

    private void unlisten(String channel, Sub sub) {
        if (remove(channel, sub) && wire != null && !wire.isClosed()) {
            run(wire, "UNLISTEN " + quote(channel)).onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "UNLISTEN failed: " + e));
        }
    }

    /** @return whether the channel has no handler left */
    private boolean remove(String channel, Sub sub) {
        List<Sub> subs = channels.get(channel);
        if (subs == null) {
            return false;
        }
        subs.remove(sub);
        if (subs.isEmpty()) {
            channels.remove(channel);
            return true;
        }
        return false;
    }

    private Promise<WireConnection> connection() {
        if (wire != null && !wire.isClosed()) {
            return Promise.resolved(loop, wire);
        }
        if (connecting == null) {
            connecting = Dialer.connect(loop, options, secrets);
            connecting.whenComplete((w, err) -> {
                connecting = null;
                if (err == null) {
                    adopt(w);
                }
            });
        }
        return connecting;
    }

    private void adopt(WireConnection w) {
        if (closed) {
            w.close();
            return;
        }
        wire = w;
        backoffMs = 100;
        w.onNotification(this::deliver);
        w.onClosed(c -> lost());
    }

    private void deliver(PgNotification n) {
        List<Sub> subs = channels.get(n.channel());
        if (subs == null) {
            return;
        }
        for (Sub s : subs.toArray(new Sub[0])) {
            if (s.loop == loop) {
                s.handler.accept(n);
            } else {
                s.loop.execute(() -> s.handler.accept(n));
            }
        }
    }

    private void lost() {
        wire = null;
        if (closed || channels.isEmpty()) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        loop.setTimeout(Duration.ofMillis(delay), this::relisten);
    }

    /** Reconnects and LISTENs again on every channel, in one script. */
    private void relisten() {
        if (closed || channels.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder();
        for (String ch : channels.keySet()) {
            sql.append("LISTEN ").append(quote(ch)).append(';');
        }
        connection().flatMap(w -> run(w, sql.toString())).whenComplete((v, err) -> {
            if (err != null) {
                LOG.log(System.Logger.Level.DEBUG, "re-LISTEN failed, retrying: " + err.getMessage());
                if (wire != null) {
                    wire.destroy(err);
                } else {
                    lost();
                }
            }
        });
    }

    private Promise<List<RowSet>> run(WireConnection w, String sql) {
        Promise<List<RowSet>> p = loop.promise();
        w.submit(new SimpleQuery(sql, p));
        return p;
    }

    /** @return the process id of the LISTEN connection's backend, or 0 when not connected */
    public int processId() {
        return wire == null ? 0 : wire.processId();
    }

    /** Closes the LISTEN connection for good. */
    public void close() {
        closed = true;
        if (wire != null) {
            wire.close();
        }
    }

    /** Quotes an identifier: {@code "name"} with inner quotes doubled. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
