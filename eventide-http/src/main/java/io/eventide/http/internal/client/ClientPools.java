package io.eventide.http.internal.client;

import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.LoopClosedException;
import io.eventide.core.Promise;
import io.eventide.core.net.TcpOptions;
import io.eventide.http.HttpLimits;
import io.eventide.core.tls.ClientTls;
import io.eventide.http.client.ClientOptions;
import io.eventide.http.internal.codec.Http1Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every connection pool of one {@code HttpClient}: one {@link OriginPool} per loop and origin,
 * since a connection belongs to one loop for life. Pools are made on first use, by the loop that
 * uses them.
 *
 * <p><b>Threading:</b> any thread for {@link #close}, {@link #connections()} and
 * {@link #isClosed()}; {@link #acquire} runs on the request's loop. The outer map is concurrent;
 * each inner map is touched only by its loop. {@code closed} is volatile: a request that starts
 * after {@link #close} sees it and fails.
 */
public final class ClientPools {
    private final ClientOptions options;
    private final TcpOptions tcp;
    private final Http1Limits limits;
    private final ConcurrentHashMap<EventLoop, Map<Origin, OriginPool>> pools = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;
    // Set once by HttpClient.tls before (or between) requests; read by pools on their loops.
    private volatile ClientTls tls;

    /** @param options the client's settings */
    public ClientPools(ClientOptions options) {
        this.options = options;
        this.tcp = options.tcp().connectTimeout(options.connectTimeout());
        HttpLimits l = options.limits();
        this.limits = new Http1Limits(l.maxStartLineBytes(), l.maxHeaderBytes(), l.maxHeaderCount(),
                l.maxChunkLineBytes(), l.maxTrailerBytes());
    }

    /** Finds a connection for {@code req}: pooled, new, or after a wait. Loop thread of the request. */
    void acquire(Http1ClientRequest req) {
        EventLoop loop = req.loop();
        assert loop.inLoop();
        if (closed) {
            req.fail(new EventideException("HttpClient is closed; request to " + req.origin() + " not sent"));
            return;
        }
        pools.computeIfAbsent(loop, l -> new HashMap<>())
                .computeIfAbsent(req.origin(), o -> new OriginPool(this, loop, o))
                .acquire(req);
    }

    /**
     * Stops new requests, fails waiting ones and closes idle connections; busy connections close
     * once their exchange ends.
     *
     * @param resultLoop the loop that owns the returned promise
     * @return settled once every loop closed its idle connections
     */
    public Promise<Void> close(EventLoop resultLoop) {
        closed = true;
        List<Promise<Void>> done = new ArrayList<>();
        for (Map.Entry<EventLoop, Map<Origin, OriginPool>> e : pools.entrySet()) {
            Promise<Void> p = e.getKey().promise();
            try {
                e.getKey().execute(() -> {
                    e.getValue().values().forEach(OriginPool::close);
                    p.resolve(null);
                });
            } catch (LoopClosedException ignored) {
                p.resolve(null); // the loop is gone, and its sockets with it
            }
            done.add(p);
        }
        return Promise.all(resultLoop, done).map(all -> null);
    }

    /** {@return connections open (connecting, busy or idle) across every loop} */
    public int connections() {
        return connections.get();
    }

    boolean isClosed() {
        return closed;
    }

    void opened() {
        connections.incrementAndGet();
    }

    void closed() {
        connections.decrementAndGet();
    }

    ClientOptions options() {
        return options;
    }

    /** @param t trust, host name check and client certificate for https origins */
    public void tls(ClientTls t) {
        this.tls = t;
    }

    /** @return the TLS settings for https origins: the JDK's trusted CAs unless set */
    ClientTls tls() {
        ClientTls t = tls;
        return t != null ? t : ClientTls.defaults();
    }

    TcpOptions tcp() {
        return tcp;
    }

    Http1Limits limits() {
        return limits;
    }
}
