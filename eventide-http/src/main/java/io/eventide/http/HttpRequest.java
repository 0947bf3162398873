package io.eventide.http;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.http.internal.codec.HttpRequestHead;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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
 * <p><b>Threading:</b> loop-confined: use it on {@link #loop()}'s thread; callbacks run there.
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

    private final Http1ServerConnection conn;
    private final HttpRequestHead head;
    private Map<String, String> params = Map.of();
    private Map<String, String> query;
    private Map<String, Object> attributes;
    private Consumer<ByteBuffer> onData;
    private Runnable onEnd;
    private Consumer<Throwable> onError;
    private Progress onProgress;
    private long maxBodyBytes;
    long received;
    long startNanos;
    boolean flowing;
    boolean paused;
    boolean ended;
    boolean failed;

    HttpRequest(Http1ServerConnection conn, HttpRequestHead head, long maxBodyBytes) {
        this.conn = conn;
        this.head = head;
        this.maxBodyBytes = maxBodyBytes;
    }

    void params(Map<String, String> p) {
        this.params = p;
    }

    /** @return the method, e.g. {@code GET} */
    public String method() {
        return head.method();
    }

    /** @return the path, not decoded, without the query */
    public String path() {
        return head.path();
    }

    /** @return the raw query (after {@code ?}), or null */
    public String query() {
        return head.query();
    }

    /** @return the request target as sent */
    public String target() {
        return head.target();
    }

    /** @return {@code HTTP/1.1} or {@code HTTP/1.0} */
    public String version() {
        return head.version().text();
    }

    /** @return the headers */
    public HttpHeaders headers() {
        return head.headers();
    }

    /** @param name header name, any case @return its first value, or null */
    public String header(String name) {
        return head.headers().get(name);
    }

    /** @param name path parameter ({@code :name} in the route, {@code *} for a wildcard) @return value or null */
    public String param(String name) {
        return params.get(name);
    }

    /** @return every path parameter */
    public Map<String, String> params() {
        return params;
    }

    /**
     * @param name query parameter name
     * @return its first value, decoded, or null
     */
    public String queryParam(String name) {
        if (query == null) {
            query = parseQuery(head.query());
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
        return head.contentLength();
    }

    /** @return whether the request has a body (Content-Length &gt; 0 or chunked) */
    public boolean hasBody() {
        return head.hasBody();
    }

    /** @return the client's address */
    public InetSocketAddress remoteAddress() {
        return conn.connection().remoteAddress();
    }

    /** @return the loop this request belongs to */
    public EventLoop loop() {
        return conn.connection().loop();
    }

    /** @return {@link System#nanoTime()} when the request head was complete and dispatched */
    public long startNanos() {
        return startNanos;
    }

    /** @return body bytes received so far */
    public long received() {
        return received;
    }

    /** @return whether the whole body has arrived */
    public boolean isEnded() {
        return ended;
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
        return maxBodyBytes;
    }

    /**
     * Changes the body limit for this request (e.g. raise it on an upload route). A larger declared
     * Content-Length is answered 413 as soon as the body is asked for.
     *
     * @param limit bytes
     * @return this request
     */
    public HttpRequest maxBodyBytes(long limit) {
        this.maxBodyBytes = limit;
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
        this.onData = Objects.requireNonNull(handler);
        startFlowing();
        return this;
    }

    /** @param handler called once the whole body arrived @return this request */
    public HttpRequest onEnd(Runnable handler) {
        this.onEnd = Objects.requireNonNull(handler);
        if (ended && !flowing) {
            startFlowing();
        }
        return this;
    }

    /** @param handler called if the body fails (limit, timeout, connection lost) @return this */
    public HttpRequest onError(Consumer<Throwable> handler) {
        this.onError = handler;
        return this;
    }

    /** @param handler receives (bytes so far, Content-Length or -1) as the body arrives @return this */
    public HttpRequest onProgress(Progress handler) {
        this.onProgress = handler;
        return this;
    }

    /** Stops the body flow; the client's socket is paused (backpressure). */
    public void pause() {
        paused = true;
        conn.bodyFlowChanged();
    }

    /** Restarts the body flow after {@link #pause()}. */
    public void resume() {
        paused = false;
        conn.bodyFlowChanged();
    }

    private void startFlowing() {
        if (!flowing) {
            flowing = true;
            conn.bodyFlowChanged();
        }
    }

    /**
     * Aggregates the body (at most {@link #maxBodyBytes()}; past it the promise fails with a 413
     * {@link HttpException} and the server answers 413).
     *
     * @return the body bytes
     */
    public Promise<byte[]> body() {
        Promise<byte[]> p = loop().promise();
        byte[][] acc = {new byte[(int) Math.min(Math.max(head.contentLength(), 256), Math.min(maxBodyBytes, 1 << 20))]};
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

    // Called by the connection.

    void deliver(ByteBuffer data) {
        if (onData != null) {
            onData.accept(data);
        } else {
            data.position(data.limit());
        }
        if (onProgress != null) {
            onProgress.update(received, head.contentLength());
        }
    }

    void deliverEnd() {
        ended = true;
        if (onEnd != null) {
            Runnable r = onEnd;
            onEnd = null;
            r.run();
        }
    }

    void deliverError(Throwable t) {
        failed = true;
        if (onError != null) {
            Consumer<Throwable> h = onError;
            onError = null;
            h.accept(t);
        }
    }

    boolean expectsContinue() {
        return head.expect100Continue();
    }

    HttpRequestHead head() {
        return head;
    }

    @Override
    public String toString() {
        return method() + " " + target();
    }
}
