package io.eventide.http;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.http.internal.codec.Fields;
import io.eventide.http.internal.server.Exchange;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An HTTP request: its head, path parameters, and its body as a stream with backpressure.
 *
 * <p>The body does not flow until the handler asks for it, with {@link #onData} (streaming) or
 * {@link #body()} (aggregated, up to {@link #maxBodyBytes()}). Until then the connection stops
 * reading, so a handler that answers first and reads later loses nothing, and one that never reads
 * costs no memory. {@link #pause()} and {@link #resume()} stop and restart the flow: a handler
 * writing an upload to a slow disk pauses the client's socket, not the loop. If the client sent
 * {@code Expect: 100-continue}, the {@code 100 Continue} goes out when the body is first asked for.
 *
 * <pre>{@code
 * server.post("/upload", (req, res) -> {
 *     req.onProgress((got, total) -> progress.publish(got + "/" + total));
 *     req.onData(chunk -> file.write(chunk));         // chunk valid only during the call
 *     req.onEnd(() -> res.end("stored"));
 * });
 * }</pre>
 *
 * <p><b>Threading:</b> loop-confined: use it on {@link #loop()}'s thread; callbacks run there. The
 * body-stream methods check the thread and throw {@link IllegalStateException} elsewhere (hop back
 * with {@code loop().execute}); the head's accessors ({@link #method()}, {@link #path()}, ...) read
 * immutable values and may be called from any thread.
 */
public final class HttpRequest {
    /** Receives upload progress. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param received body bytes received so far
         * @param total the declared Content-Length, or -1 when chunked
         */
        void update(long received, long total);
    }

    private final Exchange x;
    private Map<String, String> query;
    private HttpHeaders headers;
    private Map<String, Object> attributes;

    HttpRequest(Exchange x) {
        this.x = x;
    }

    /** @return the method, e.g. {@code GET} */
    public String method() {
        return x.head().method();
    }

    /** @return the path, not decoded, without the query */
    public String path() {
        return x.head().path();
    }

    /** @return the raw query (after {@code ?}), or null */
    public String query() {
        return x.head().query();
    }

    /** @return the request target as sent */
    public String target() {
        return x.head().target();
    }

    /** @return {@code HTTP/1.1} or {@code HTTP/1.0} */
    public String version() {
        return x.head().version().text();
    }

    /** @return the headers */
    public HttpHeaders headers() {
        if (headers == null) {
            Fields f = x.head().fields();
            headers = new HttpHeaders(f.size());
            for (int i = 0; i < f.size(); i++) {
                headers.add(f.name(i), f.value(i));
            }
        }
        return headers;
    }

    /** @param name header name, any case @return its first value, or null */
    public String header(String name) {
        return headers != null ? headers.get(name) : x.head().fields().get(name);
    }

    /** @param name path parameter ({@code :name} in the route, {@code *} for a wildcard) @return value or null */
    public String param(String name) {
        return x.params().get(name);
    }

    /** @return every path parameter */
    public Map<String, String> params() {
        return x.params();
    }

    /** @return the route pattern that matched ({@code /users/:id}), or null before routing or when none did */
    public String route() {
        return x.route();
    }

    /**
     * @param name query parameter name
     * @return its first value, decoded, or null
     */
    public String queryParam(String name) {
        if (query == null) {
            query = parseQuery(x.head().query());
        }
        return query.get(name);
    }

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
                m.putIfAbsent(k, v); // malformed escape: keep it raw rather than fail the request
            }
        }
        return m;
    }

    /** @return the declared Content-Length, or -1 (chunked or no body) */
    public long contentLength() {
        return x.head().contentLength();
    }

    /** @return whether the request has a body (Content-Length &gt; 0 or chunked) */
    public boolean hasBody() {
        return x.head().hasBody();
    }

    /** @return the client's address */
    public InetSocketAddress remoteAddress() {
        return x.connection().remoteAddress();
    }

    /** @return the loop this request belongs to */
    public EventLoop loop() {
        return x.loop();
    }

    /**
     * @return {@link System#nanoTime()} when the read that completed this request's head began to be
     *     processed (requests pipelined in one read share it, so a later one's latency includes the
     *     earlier ones' handling)
     */
    public long startNanos() {
        return x.startNanos();
    }

    /** @return body bytes received so far */
    public long received() {
        return x.received();
    }

    /** @return whether the whole body has arrived */
    public boolean isEnded() {
        return x.bodyEnded();
    }

    /**
     * @param key attribute name
     * @param value any object (middleware to handler), null removes it
     * @return this request
     */
    public HttpRequest attribute(String key, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
        return this;
    }

    /**
     * @param <T> expected type
     * @param key attribute name
     * @return the attribute, or null
     */
    @SuppressWarnings("unchecked")
    public <T> T attribute(String key) {
        return attributes == null ? null : (T) attributes.get(key);
    }

    /** @return this request's body limit */
    public long maxBodyBytes() {
        return x.maxBodyBytes();
    }

    /**
     * Changes the body limit for this request (e.g. raise it on an upload route). A larger declared
     * Content-Length is answered 413 as soon as the body is asked for.
     *
     * @param limit bytes
     * @return this request
     */
    public HttpRequest maxBodyBytes(long limit) {
        x.checkLoop("maxBodyBytes");
        x.maxBodyBytes(limit);
        return this;
    }

    // ------------------------------------------------------------------------------------------
    // Body stream

    /**
     * Streams the body. Each buffer is a view of the loop's read buffer, valid only during the call.
     *
     * @param handler receives body bytes
     * @return this request
     */
    public HttpRequest onData(Consumer<ByteBuffer> handler) {
        x.checkLoop("onData");
        x.onData(handler);
        return this;
    }

    /** @param handler called once the whole body arrived @return this request */
    public HttpRequest onEnd(Runnable handler) {
        x.checkLoop("onEnd");
        x.onEnd(handler);
        return this;
    }

    /** @param handler called if the body fails (limit, timeout, connection lost) @return this */
    public HttpRequest onError(Consumer<Throwable> handler) {
        x.checkLoop("onError");
        x.onError(handler);
        return this;
    }

    /** @param handler receives (bytes so far, Content-Length or -1) as the body arrives @return this */
    public HttpRequest onProgress(Progress handler) {
        x.checkLoop("onProgress");
        x.onProgress(handler == null ? null : handler::update);
        return this;
    }

    /** Stops the body flow; the client's socket is paused (backpressure). */
    public void pause() {
        x.checkLoop("pause");
        x.pauseBody(true);
    }

    /** Restarts the body flow after {@link #pause()}. */
    public void resume() {
        x.checkLoop("resume");
        x.pauseBody(false);
    }

    /**
     * Aggregates the body (at most {@link #maxBodyBytes()}; past it the promise fails with a 413
     * {@link HttpException} and the server answers 413).
     *
     * @return the body bytes
     */
    public Promise<byte[]> body() {
        x.checkLoop("body");
        Promise<byte[]> p = loop().promise();
        long max = x.maxBodyBytes();
        byte[][] acc = {new byte[(int) Math.min(Math.max(contentLength(), 256), Math.min(max, 1 << 20))]};
        int[] len = {0};
        onError(p::reject);
        onData(buf -> {
            int n = buf.remaining();
            if (len[0] + n > acc[0].length) {
                acc[0] = Arrays.copyOf(acc[0], Math.max(acc[0].length * 2, len[0] + n));
            }
            buf.get(acc[0], len[0], n);
            len[0] += n;
        });
        onEnd(() -> p.resolve(len[0] == acc[0].length ? acc[0] : Arrays.copyOf(acc[0], len[0])));
        return p;
    }

    /** @return the body decoded as UTF-8 (see {@link #body()}) */
    public Promise<String> bodyAsString() {
        return body().map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return x.toString();
    }
}
