package io.eventide.http.blocking;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The request as a blocking handler sees it: the head copied on the loop before the handler
 * started (so reading it needs no hop), and the body fetched on demand, the handler's thread
 * waiting for it while the loop reads it.
 *
 * <p><b>Threading:</b> the handler's virtual thread (any thread may read the head; {@link #body()}
 * blocks, so never call it on a loop).
 */
public final class BlockingRequest {
    private final HttpRequest req;
    private final EventLoop loop;
    private final String method;
    private final String path;
    private final String query;
    private final String target;
    private final Map<String, List<String>> headers;
    private final Map<String, String> params;
    private final InetSocketAddress remote;
    private Map<String, String> queryParams; // the handler's thread only

    /** Copies the head; on the loop. */
    BlockingRequest(HttpRequest req) {
        this.req = req;
        this.loop = req.loop();
        this.method = req.method();
        this.path = req.path();
        this.query = req.query();
        this.target = req.target();
        this.params = Map.copyOf(req.params());
        this.remote = req.remoteAddress();
        Map<String, List<String>> h = new LinkedHashMap<>();
        req.headers().forEach((name, value) -> h.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(value));
        h.replaceAll((k, v) -> List.copyOf(v));
        this.headers = Map.copyOf(h);
    }

    /** @return the method */
    public String method() {
        return method;
    }

    /** @return the path, not decoded */
    public String path() {
        return path;
    }

    /** @return the raw query string, or null */
    public String query() {
        return query;
    }

    /** @return the request target as sent */
    public String target() {
        return target;
    }

    /** @param name a header, any case @return its first value, or null */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null ? null : v.get(0);
    }

    /** @return every header, lower-case names to values in order */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** @param name a path parameter @return its decoded value, or null */
    public String param(String name) {
        return params.get(name);
    }

    /** @param name a query parameter @return its first decoded value, or null */
    public String queryParam(String name) {
        Map<String, String> q = queryParams;
        if (q == null) {
            q = parseQuery(query);
            queryParams = q;
        }
        return q.get(name);
    }

    /** As {@link HttpRequest#queryParam}: first value wins, a malformed escape is kept raw. */
    private static Map<String, String> parseQuery(String q) {
        if (q == null || q.isEmpty()) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                m.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                m.putIfAbsent(k, v);
            }
        }
        return m;
    }

    /** @return the client's address */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** @return the loop that owns the connection */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Reads the whole body (up to the request's body limit), waiting for it.
     *
     * @return the body
     * @throws io.eventide.http.HttpException 413 past the limit; other failures as the body's
     */
    public byte[] body() {
        return call(req::body);
    }

    /** @return the body as UTF-8 text */
    public String bodyAsString() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** Runs {@code step} on the loop and waits for the promise it returns. */
    private <T> T call(Supplier<Promise<T>> step) {
        CompletableFuture<Promise<T>> started = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                started.complete(step.get());
            } catch (Throwable t) {
                started.completeExceptionally(t);
            }
        });
        return Blocking.await(Blocking.join(started));
    }

    @Override
    public String toString() {
        return method + " " + target;
    }
}
