package io.eventide.http.internal.server;

import io.eventide.core.EventLoop;
import io.eventide.core.Timer;
import io.eventide.core.net.Connection;
import io.eventide.http.internal.codec.DateCache;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;

/**
 * What one HTTP server keeps per loop: the output scratch buffer every response on this loop is
 * encoded into, the cached Date line, the gzip pool, and the open connections with the timer that
 * sweeps their deadlines ({@link Deadlines}) once per sweep interval, the way Node's http server
 * checks its connections on an interval instead of arming a timer per request.
 *
 * <p>The scratch buffer is shared by every connection of the loop but holds one connection's bytes
 * at a time: a connection claims it ({@link #claim}) and flushes it to its own socket before
 * returning to the loop. A claim by another connection in between (a handler of connection A
 * answering connection B) moves A's bytes aside for A to write after the current callback, so
 * bytes never mix and no callback of A runs inside B's handler.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class ServerLoop {
    private static final System.Logger LOG = System.getLogger("io.eventide.http");
    static final int OUT_SIZE = 64 * 1024;

    final EventLoop loop;
    final ServerEngine engine;
    final ByteBuffer out = ByteBuffer.allocateDirect(OUT_SIZE);
    final DateCache date = new DateCache();
    final GzipStream.Pool gzipPool = new GzipStream.Pool();
    private final HashSet<Http1ServerConnection> connections = new HashSet<>();
    /** Connections handed to another protocol: told when the server closes, not waited for. */
    private final HashSet<Connection> upgraded = new HashSet<>();
    private ResponseWriter outOwner;
    private Timer sweeper;
    private boolean shuttingDown;
    /** The wall clock read for {@link #date}; valid until the next second begins (Node's utcDate). */
    private long dateMillis;
    private boolean dateValid;

    ServerLoop(EventLoop loop, ServerEngine engine) {
        this.loop = loop;
        this.engine = engine;
    }

    /**
     * Writes the {@code Date} field. The wall clock is read once, then trusted until the next second
     * begins (a timer clears it): no clock read per response, and no timer while no response goes
     * out. A loop that lags delays the refresh by its lag.
     */
    void writeDate(ByteBuffer out) {
        if (!dateValid) {
            dateMillis = System.currentTimeMillis();
            dateValid = true;
            loop.setTimeout(Duration.ofMillis(1000 - Math.floorMod(dateMillis, 1000)), () -> dateValid = false);
        }
        date.write(out, dateMillis);
    }

    /**
     * Makes {@code w} the owner of {@link #out}. The previous owner's bytes are set aside for it
     * ({@link ResponseWriter#stash}), not written: writing them here would run that connection's
     * failure and close callbacks inside this one's handler.
     */
    ByteBuffer claim(ResponseWriter w) {
        if (outOwner != w) {
            if (outOwner != null) {
                outOwner.stash(out);
            }
            outOwner = w;
        }
        return out;
    }

    boolean owns(ResponseWriter w) {
        return outOwner == w;
    }

    void released(ResponseWriter w) {
        if (outOwner == w) {
            outOwner = null;
            out.clear();
        }
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    void add(Http1ServerConnection c) {
        connections.add(c);
        if (sweeper == null) {
            sweeper = loop.setInterval(engine.options().sweepInterval(), this::sweep);
        }
    }

    void remove(Http1ServerConnection c) {
        connections.remove(c);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Http1ServerConnection c : new ArrayList<>(connections)) {
            c.checkDeadlines(now);
        }
    }

    void upgraded(Connection c) {
        upgraded.removeIf(Connection::isClosed);
        upgraded.add(c);
    }

    /** The server began its graceful close: every connection finishes what is in flight. */
    void shutdown() {
        shuttingDown = true;
        for (Http1ServerConnection c : new ArrayList<>(connections)) {
            c.shutdown();
        }
        for (Connection c : new ArrayList<>(upgraded)) {
            if (!c.isClosed()) {
                c.shutdown(); // a WebSocket says 1001 Going Away
            }
        }
        upgraded.clear();
    }

    /** The grace period is over: what is still open is closed now. */
    void forceClose() {
        for (Http1ServerConnection c : new ArrayList<>(connections)) {
            LOG.log(System.Logger.Level.WARNING, "grace period over: closing by force " + c);
            c.connection().destroy();
        }
        stop();
    }

    void stop() {
        if (sweeper != null) {
            sweeper.cancel();
            sweeper = null;
        }
    }
}
