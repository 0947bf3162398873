package io.eventide.http.internal.client;

import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Promise;
import io.eventide.http.HttpHeaders;
import io.eventide.http.client.ClientResponse;
import io.eventide.http.internal.codec.HttpResponseHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The HTTP/1.1 implementation of {@link ClientResponse}: the head, and the consumer side of the
 * body stream.
 *
 * <pre>
 *  connection ──deliver──► flowing, not paused, nothing queued ──► consumer (onData, body(), discard)
 *                      └─► otherwise ──► queue (copies, up to {@value #BUFFER_LIMIT} bytes)
 *  queue full ──► canTake() false ──► the connection stashes the rest of its read and pauses
 *  onData/body/discard/resume ──► drain the queue (microtask) ──► resume the connection
 * </pre>
 *
 * <p>The queue is what lets a small response that nobody reads (only its status was wanted)
 * still free its connection: the whole body fits, the exchange completes, and the bytes wait here
 * for a consumer that may never come. A larger unread body stops the socket; the connection's
 * idle timeout then closes it, unless the application paused the response on purpose.
 * {@link #complete} and {@link #fail} end the stream; handlers attached later still hear about it
 * (from a microtask).
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class Http1ClientResponse implements ClientResponse {
    /** Body bytes held for a consumer that is absent or paused before the socket is paused. */
    static final int BUFFER_LIMIT = 64 * 1024;

    private final Http1ClientConnection connection;
    private final HttpResponseHead head;
    private HttpHeaders headers;
    private final EventLoop loop;
    private final long defaultMaxBody;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private int queued;
    private Consumer<ByteBuffer> onData;
    private Runnable onEnd;
    private Consumer<Throwable> onError;
    private BodyAggregate aggregate;
    private Promise<Void> discarded;
    private boolean flowing;
    private boolean paused;
    private boolean drainScheduled;
    private boolean received;
    private boolean ended;
    private boolean endNotified;
    private Throwable error;
    private boolean errorNotified;
    private HttpHeaders trailers;

    Http1ClientResponse(Http1ClientConnection connection, HttpResponseHead head, EventLoop loop, long maxBody) {
        this.connection = connection;
        this.head = head;
        this.loop = loop;
        this.defaultMaxBody = maxBody;
    }

    // ------------------------------------------------------------------------------------------
    // Connection side

    /** {@return whether the connection may hand over more body bytes now} */
    boolean canTake() {
        return error == null && (flowing && !paused || queued < BUFFER_LIMIT);
    }

    /** {@return whether the application paused the flow (not merely not started it)} */
    boolean isPaused() {
        return paused;
    }

    /** {@return whether a consumer started the flow} */
    boolean isFlowing() {
        return flowing;
    }

    void deliver(ByteBuffer data) {
        if (flowing && !paused && queue.isEmpty()) {
            consume(data);
        } else {
            queue.addLast(ByteBuffer.allocate(data.remaining()).put(data).flip());
            queued += queue.peekLast().remaining();
        }
    }

    private void consume(ByteBuffer data) {
        try {
            if (aggregate != null) {
                if (!aggregate.add(data)) {
                    abort(tooLarge(aggregate.max()));
                }
            } else if (onData != null) {
                onData.accept(data);
            } else {
                data.position(data.limit()); // flowing without a consumer: discarded
            }
        } catch (RuntimeException e) {
            abort(e); // the application's handler threw: end this exchange, not the loop
        }
    }

    /** Fails the body here and, if the exchange is still running, on the connection. */
    private void abort(Throwable cause) {
        connection.abort(this, cause);
        fail(cause);
    }

    /** The whole body arrived; it ends for the application once the queue is drained. */
    void complete(HttpHeaders trailerFields) {
        received = true;
        trailers = trailerFields;
        if (queue.isEmpty()) {
            end();
        }
    }

    private void end() {
        ended = true;
        if (aggregate != null) {
            aggregate.promise().resolve(aggregate.bytes());
        }
        if (discarded != null) {
            discarded.resolve(null);
        }
        notifyEnd();
    }

    void fail(Throwable cause) {
        if (ended || error != null) {
            return;
        }
        error = cause;
        queue.clear();
        queued = 0;
        if (aggregate != null) {
            aggregate.promise().reject(cause);
        }
        if (discarded != null) {
            discarded.reject(cause);
        }
        notifyError();
    }

    private void scheduleDrain() {
        if (!drainScheduled) {
            drainScheduled = true;
            loop.queueMicrotask(this::drain);
        }
    }

    /** Hands queued bytes to the consumer, then ends the body or lets the connection read on. */
    private void drain() {
        drainScheduled = false;
        while (flowing && !paused && error == null && !queue.isEmpty()) {
            ByteBuffer b = queue.pollFirst();
            queued -= b.remaining();
            consume(b);
        }
        if (error != null || !queue.isEmpty()) {
            return;
        }
        if (received) {
            if (!ended) {
                end();
            }
        } else if (flowing && !paused) {
            connection.resumeReading(this);
        }
    }

    private void notifyEnd() {
        if (onEnd != null && !endNotified) {
            endNotified = true;
            guarded(onEnd);
        }
    }

    private void notifyError() {
        if (onError != null && !errorNotified) {
            errorNotified = true;
            Consumer<Throwable> h = onError;
            Throwable e = error;
            guarded(() -> h.accept(e));
        }
    }

    /**
     * Runs an end or error handler. The exchange is over and the connection may already serve
     * another request, so a throwing handler is reported rather than allowed to close it.
     */
    private void guarded(Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            loop.reportUncaught(e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Application side

    @Override
    public ClientResponse onData(Consumer<ByteBuffer> handler) {
        checkLoop();
        Objects.requireNonNull(handler, "handler");
        if (aggregate != null || discarded != null) {
            throw new IllegalStateException("the body is already being aggregated or discarded");
        }
        onData = handler;
        startFlowing();
        return this;
    }

    @Override
    public ClientResponse onEnd(Runnable handler) {
        checkLoop();
        onEnd = Objects.requireNonNull(handler, "handler");
        if (ended) {
            loop.queueMicrotask(this::notifyEnd);
        }
        return this;
    }

    @Override
    public ClientResponse onError(Consumer<Throwable> handler) {
        checkLoop();
        onError = Objects.requireNonNull(handler, "handler");
        if (error != null) {
            loop.queueMicrotask(this::notifyError);
        }
        return this;
    }

    @Override
    public void pause() {
        checkLoop();
        paused = true;
        connection.pauseReading(this);
    }

    @Override
    public void resume() {
        checkLoop();
        paused = false;
        flowing = true;
        scheduleDrain();
    }

    private void startFlowing() {
        if (!flowing) {
            flowing = true;
            scheduleDrain();
        }
    }

    @Override
    public Promise<byte[]> body() {
        return body(defaultMaxBody);
    }

    @Override
    public Promise<byte[]> body(long maxBytes) {
        checkLoop();
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        }
        if (aggregate != null) {
            return aggregate.promise();
        }
        if (onData != null || discarded != null) {
            throw new IllegalStateException("the body is already being streamed or discarded");
        }
        Promise<byte[]> p = loop.promise();
        if (ended) {
            p.resolve(new byte[0]);
        } else if (error != null) {
            p.reject(error);
        } else if (head.contentLength() > maxBytes) {
            p.reject(tooLarge(maxBytes));
            abort(tooLarge(maxBytes)); // reading it only to drop it would waste the bandwidth
        } else {
            aggregate = new BodyAggregate(p, maxBytes, head.contentLength());
            startFlowing();
        }
        return p;
    }

    @Override
    public Promise<String> bodyAsString() {
        return body().map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public Promise<Void> discard() {
        checkLoop();
        if (discarded == null) {
            if (onData != null || aggregate != null) {
                throw new IllegalStateException("the body is already being streamed or aggregated");
            }
            discarded = loop.promise();
            if (ended) {
                discarded.resolve(null);
            } else if (error != null) {
                discarded.reject(error);
            } else {
                startFlowing();
            }
        }
        return discarded;
    }

    private EventideException tooLarge(long max) {
        return new EventideException("response body from " + connection.origin() + " exceeds max-response-body-bytes ("
                + max + ")");
    }

    private void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("response is confined to loop " + loop.name() + "; called from "
                    + Thread.currentThread().getName());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Head

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public int status() {
        return head.status();
    }

    @Override
    public String reason() {
        return head.reason();
    }

    @Override
    public String version() {
        return head.version().text();
    }

    @Override
    public HttpHeaders headers() {
        if (headers == null) {
            headers = ResponseDecoder.toHeaders(head.fields());
        }
        return headers;
    }

    @Override
    public String header(String name) {
        return headers != null ? headers.get(name) : head.fields().get(name);
    }

    @Override
    public long contentLength() {
        return head.contentLength();
    }

    @Override
    public HttpHeaders trailers() {
        if (trailers == null) {
            trailers = new HttpHeaders(1);
        }
        return trailers;
    }

    @Override
    public boolean isEnded() {
        return ended;
    }

    @Override
    public String toString() {
        return "ClientResponse[" + head.status() + " " + head.reason() + "]";
    }
}
