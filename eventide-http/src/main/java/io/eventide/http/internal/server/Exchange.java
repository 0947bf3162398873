package io.eventide.http.internal.server;

import io.eventide.core.EventLoop;
import io.eventide.core.net.Connection;
import io.eventide.http.HttpHeaders;
import io.eventide.http.internal.codec.HttpRequestHead;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One request and its response, as the engine sees them: the parsed head, the state of the body
 * stream and of the response, and the callbacks the application registered through the facades
 * ({@code HttpRequest}, {@code HttpResponse}), which hold nothing but a reference to this. The
 * connection reads and writes these fields; the facades go through the public methods, which check
 * the thread first: a call from another thread fails at once with a message that says so, instead
 * of writing into the loop's scratch buffer and failing later in the socket code.
 *
 * <p><b>Threading:</b> loop-confined; the state readers ({@link #isCommitted()}, {@link #isEnded()},
 * {@link #isClosed()}) may be called from any thread and may lag by a moment.
 */
public final class Exchange {
    /** Receives upload progress. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param received body bytes so far
         * @param total the declared Content-Length, or -1
         */
        void update(long received, long total);
    }

    final Http1ServerConnection conn;
    private final ResponseFlow out;
    final HttpRequestHead head;
    // Request body.
    long maxBodyBytes;
    long received;
    boolean flowing;
    boolean paused;
    volatile boolean bodyEnded;
    boolean bodyFailed;
    Consumer<ByteBuffer> onData;
    Runnable onEnd;
    Consumer<Throwable> onError;
    Progress onProgress;
    long startNanos;
    private Map<String, String> params = Map.of();
    private String route;
    private Object attachment;
    // Response.
    int status = 200;
    HttpHeaders headers;
    HttpHeaders trailers;
    String contentType;
    long declaredLength = -1;
    volatile boolean committed;
    volatile boolean ended;
    /** The server answered 503 for a handler that took too long: what the handler does later is ignored. */
    volatile boolean timedOut;
    /** A before-hook took the exchange out of the chain to answer later (HttpResponse.hold). */
    private boolean held;
    boolean chunked;
    GzipStream gzip;
    Runnable onDrain;
    List<Runnable> onFinish;
    Runnable onShutdown;
    Consumer<Throwable> onClose;
    /** Body bytes the response has produced (after gzip; no head, no chunk framing): the access log's size. */
    long bodyBytes;
    /** Whether the dispatcher heard the end of this exchange (finished or aborted): it hears it once. */
    boolean reported;

    Exchange(Http1ServerConnection conn, ResponseFlow out, HttpRequestHead head, long maxBodyBytes) {
        this.conn = conn;
        this.out = out;
        this.head = head;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyEnded = !head.hasBody();
    }

    /**
     * Fails unless called on the exchange's loop.
     *
     * @param what the operation, for the message
     */
    public void checkLoop(String what) {
        EventLoop loop = conn.connection().loop();
        if (!loop.inLoop()) {
            throw new IllegalStateException(what + " called on thread " + Thread.currentThread().getName() + ", but "
                    + head.method() + " " + head.path() + " belongs to loop " + loop.name()
                    + ": hop back with loop().execute(...)");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Request

    /** @return the parsed head */
    public HttpRequestHead head() {
        return head;
    }

    /** @return the connection's loop */
    public EventLoop loop() {
        return conn.connection().loop();
    }

    /** @return the underlying connection (its address, its queue) */
    public Connection connection() {
        return conn.connection();
    }

    /** @return path parameters */
    public Map<String, String> params() {
        return params;
    }

    /**
     * @param route the matched route pattern, or null when none matched
     * @param params its parameters
     */
    public void routed(String route, Map<String, String> params) {
        this.route = route;
        this.params = params;
    }

    /** @return the matched route pattern, or null */
    public String route() {
        return route;
    }

    /** @return {@link System#nanoTime()} at dispatch */
    public long startNanos() {
        return startNanos;
    }

    /** @return body bytes received so far */
    public long received() {
        return received;
    }

    /** @return whether the whole body arrived */
    public boolean bodyEnded() {
        return bodyEnded;
    }

    /** @return this request's body limit */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** @param limit the body limit for this request */
    public void maxBodyBytes(long limit) {
        this.maxBodyBytes = limit;
    }

    /** @param handler receives body bytes; starts the flow */
    public void onData(Consumer<ByteBuffer> handler) {
        this.onData = Objects.requireNonNull(handler);
        startFlowing();
    }

    /** @param handler runs once the body ended */
    public void onEnd(Runnable handler) {
        this.onEnd = Objects.requireNonNull(handler);
        if (bodyEnded && !flowing) {
            startFlowing();
        }
    }

    /** @param handler receives a body failure */
    public void onError(Consumer<Throwable> handler) {
        this.onError = handler;
    }

    /** @param handler receives progress */
    public void onProgress(Progress handler) {
        this.onProgress = handler;
    }

    /** @param pause whether the body flow stops (backpressure on the client's socket) */
    public void pauseBody(boolean pause) {
        paused = pause;
        conn.bodyFlowChanged(this);
    }

    private void startFlowing() {
        if (!flowing) {
            flowing = true;
            conn.bodyFlowChanged(this);
        }
    }

    /** @param a what the API side keeps with this exchange (its facades) */
    public void attach(Object a) {
        this.attachment = a;
    }

    /**
     * @param <T> the attachment's type
     * @return what {@link #attach} was given
     */
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    // ------------------------------------------------------------------------------------------
    // Response state

    /** @return the status */
    public int status() {
        return status;
    }

    /** @param code the final status, 200..599 (checked by the facade) */
    public void status(int code) {
        checkNotCommitted();
        this.status = code;
    }

    /** @return the response headers, created on first use */
    public HttpHeaders headers() {
        if (headers == null) {
            headers = new HttpHeaders(4);
        }
        return headers;
    }

    /** @return the Content-Type set, or null */
    public String contentType() {
        return contentType;
    }

    /** @param type the Content-Type */
    public void contentType(String type) {
        checkNotCommitted();
        this.contentType = type;
    }

    /** @param length a Content-Length the handler declared */
    public void declaredLength(long length) {
        checkNotCommitted();
        this.declaredLength = length;
    }

    /** @return trailers, created on first use */
    public HttpHeaders trailers() {
        if (trailers == null) {
            trailers = new HttpHeaders(2);
        }
        return trailers;
    }

    /** @param handler runs when the connection can take more */
    public void onDrain(Runnable handler) {
        this.onDrain = handler;
    }

    /** @param hook runs once the response ended */
    public void onFinish(Runnable hook) {
        if (onFinish == null) {
            onFinish = new ArrayList<>(2);
        }
        onFinish.add(hook);
    }

    /** @param hook runs if a graceful close begins while the response is open */
    public void onShutdown(Runnable hook) {
        this.onShutdown = hook;
    }

    /** @param handler runs once when the connection closes, with the cause or null */
    public void onClose(Consumer<Throwable> handler) {
        this.onClose = Objects.requireNonNull(handler);
        if (conn.connection().isClosed()) {
            closed(null);
        }
    }

    void closed(Throwable cause) {
        Consumer<Throwable> h = onClose;
        onClose = null;
        if (h != null) {
            h.accept(cause);
        }
    }

    /** @return body bytes the response has produced so far (after compression, without head or chunk framing) */
    public long bodyBytes() {
        return bodyBytes;
    }

    /** @return whether the head went out */
    public boolean isCommitted() {
        return committed;
    }

    /** @return whether the response ended */
    public boolean isEnded() {
        return ended;
    }

    /** Takes the exchange out of the request chain; its holder answers later. */
    public void hold() {
        checkLoop("hold");
        held = true;
    }

    /** @return whether {@link #hold()} was called */
    public boolean isHeld() {
        return held;
    }

    /** @return whether the server answered for the handler after handler-timeout */
    public boolean timedOut() {
        return timedOut;
    }

    /** @return whether the connection is gone */
    public boolean isClosed() {
        return conn.connection().isClosed();
    }

    /** @return bytes queued on the connection and not yet sent */
    public long queuedBytes() {
        return conn.connection().queuedBytes();
    }

    // ------------------------------------------------------------------------------------------
    // Response output (through the connection)

    /** @param chunk body bytes @return false past the high watermark */
    public boolean write(ByteBuffer chunk) {
        checkNotEnded();
        return out.write(this, chunk);
    }

    /** @param shared read-only bytes shared by many responses @return like {@link #write} */
    public boolean writeShared(ByteBuffer shared) {
        checkNotEnded();
        return out.writeShared(this, shared);
    }

    /** @param last the last bytes, or null */
    public void end(ByteBuffer last) {
        checkNotEnded();
        out.end(this, last);
    }

    /** @param text the whole body, encoded as UTF-8 */
    public void endText(String text) {
        checkNotEnded();
        out.endText(this, text);
    }

    /** @param file handed over; closed once sent @param position first byte @param count bytes */
    public void sendFile(FileChannel file, long position, long count) {
        checkNotEnded();
        checkNotCommitted();
        out.sendFile(this, file, position, count);
    }

    /**
     * @param headers the 101 response's headers
     * @param takeover receives the connection after the current callback, returns the protocol to install
     */
    public void upgrade(HttpHeaders headers, java.util.function.Function<Connection, io.eventide.core.net.Protocol> takeover) {
        checkNotCommitted();
        conn.upgrade(this, headers, takeover);
    }

    /** Closes the connection at once. */
    public void destroy() {
        ended = true;
        conn.connection().destroy();
    }

    void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("response head already sent for " + this);
        }
    }

    void checkNotEnded() {
        if (ended) {
            throw new IllegalStateException("response already ended for " + this);
        }
    }

    @Override
    public String toString() {
        return head.method() + " " + head.target();
    }
}
