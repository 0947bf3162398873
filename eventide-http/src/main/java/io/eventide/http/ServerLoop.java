package io.eventide.http;

import io.eventide.core.EventLoop;
import io.eventide.core.Timer;
import io.eventide.http.internal.codec.DateCache;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;

/**
 * What one HTTP server keeps per loop: the output scratch buffer every response on this loop is
 * encoded into, the cached Date line, and the open connections with the timer that sweeps their
 * deadlines (header timeout, keep-alive timeout, minimum body rate) once per sweep interval, the way
 * Node's http server checks its connections on an interval instead of arming a timer per request.
 *
 * <p>The scratch buffer is shared by every connection of the loop: whoever writes into it first
 * flushes what another connection left there ({@link #claim}), so bytes never mix.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class ServerLoop {
    static final int OUT_SIZE = 64 * 1024;

    final EventLoop loop;
    final HttpServer server;
    final ByteBuffer out = ByteBuffer.allocateDirect(OUT_SIZE);
    final DateCache date = new DateCache();
    final GzipStream.Pool gzipPool = new GzipStream.Pool();
    final HashSet<Http1ServerConnection> connections = new HashSet<>();
    /** Connections handed to another protocol: still asked to finish when the server closes. */
    private final HashSet<io.eventide.core.net.Connection> upgraded = new HashSet<>();
    private Http1ServerConnection outOwner;
    private Timer sweeper;

    ServerLoop(EventLoop loop, HttpServer server) {
        this.loop = loop;
        this.server = server;
    }

    /** Makes {@code c} the owner of {@link #out}, flushing the previous owner's bytes first. */
    ByteBuffer claim(Http1ServerConnection c) {
        if (outOwner != c) {
            if (outOwner != null) {
                outOwner.flushOut();
            }
            outOwner = c;
        }
        return out;
    }

    void released(Http1ServerConnection c) {
        if (outOwner == c) {
            outOwner = null;
            out.clear();
        }
    }

    void add(Http1ServerConnection c) {
        connections.add(c);
        if (sweeper == null) {
            sweeper = loop.setInterval(server.options().sweepInterval(), this::sweep);
        }
    }

    void remove(Http1ServerConnection c) {
        connections.remove(c);
        released(c);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Http1ServerConnection c : new ArrayList<>(connections)) {
            c.checkDeadlines(now);
        }
    }

    void upgraded(io.eventide.core.net.Connection c) {
        upgraded.removeIf(io.eventide.core.net.Connection::isClosed);
        upgraded.add(c);
    }

    void shutdown() {
        for (Http1ServerConnection c : new ArrayList<>(connections)) {
            c.shutdown();
        }
        for (io.eventide.core.net.Connection c : new ArrayList<>(upgraded)) {
            if (!c.isClosed()) {
                c.shutdown(); // a WebSocket says 1001 Going Away
            }
        }
        upgraded.clear();
    }

    void stop() {
        if (sweeper != null) {
            sweeper.cancel();
            sweeper = null;
        }
    }
}
