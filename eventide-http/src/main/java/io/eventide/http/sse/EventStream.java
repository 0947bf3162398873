package io.eventide.http.sse;

import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Timer;
import io.eventide.http.HttpHeaders;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.OverflowPolicy;
import io.eventide.http.internal.sse.SseEncoder;
import io.eventide.http.spi.SharedWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link SseStream} written through an {@link HttpResponse}'s chunked body.
 *
 * <p>Slow consumers: before each write the bytes still queued on the connection
 * ({@link HttpResponse#queuedBytes()}) plus the new event are checked against the budget; past it
 * the policy drops the event (counted) or destroys the connection, so the memory one slow client
 * holds is bounded by the budget.
 *
 * <p>A client that left: the response's close notification ends the stream at once (heartbeats
 * also notice).
 *
 * <p>It lives beside {@link Sse}, the facade that makes it, because it works through the
 * {@link HttpResponse} facade; the encoding is internal ({@code SseEncoder}).
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class EventStream implements SseStream, SharedWriter {
    private static final ByteBuffer OPENING = ByteBuffer.wrap(SseEncoder.comment("")).asReadOnlyBuffer();

    private final HttpRequest req;
    private final HttpResponse res;
    private final SseOptions options;
    private Timer heartbeat;
    private boolean open = true;
    private boolean overWatermark;
    private boolean ended;
    private long dropped;
    private Runnable onClose = () -> { };
    private Runnable onDrain = () -> { };
    private List<Runnable> terminated;

    private EventStream(HttpRequest req, HttpResponse res, SseOptions options) {
        this.req = req;
        this.res = res;
        this.options = options;
    }

    /**
     * @param req the request
     * @param res its uncommitted response
     * @param options settings
     * @return the started stream
     */
    static EventStream start(HttpRequest req, HttpResponse res, SseOptions options) {
        Objects.requireNonNull(options, "options");
        EventStream s = new EventStream(req, res, options);
        res.status(200).contentType("text/event-stream")
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no");
        res.onDrain(s::drained);
        res.onShutdown(s::close); // a graceful server close ends the stream instead of waiting on it
        res.onClose(cause -> s.end());
        // Send the head with a first line now: the client's EventSource opens on the head.
        s.write(options.retry() != null ? ByteBuffer.wrap(SseEncoder.retry(options.retry().toMillis()))
                : OPENING.duplicate());
        if (!options.heartbeat().isZero()) {
            s.heartbeat = res.loop().setInterval(options.heartbeat(), s::beat);
        }
        return s;
    }

    @Override
    public boolean send(String data) {
        return send(null, null, data);
    }

    @Override
    public boolean send(String event, String id, String data) {
        checkLoop();
        return write(ByteBuffer.wrap(SseEncoder.event(event, id, Objects.requireNonNull(data, "data"))));
    }

    @Override
    public boolean retry(Duration delay) {
        checkLoop();
        return write(ByteBuffer.wrap(SseEncoder.retry(delay.toMillis())));
    }

    @Override
    public boolean comment(String text) {
        checkLoop();
        return write(ByteBuffer.wrap(SseEncoder.comment(text)));
    }

    @Override
    public Format sharedFormat() {
        return Format.SSE_EVENT;
    }

    @Override
    public boolean writeShared(ByteBuffer encoded) {
        checkLoop();
        return write(encoded, true);
    }

    private boolean write(ByteBuffer bytes) {
        return write(bytes, false);
    }

    private boolean write(ByteBuffer bytes, boolean shared) {
        if (!open) {
            return false;
        }
        if (gone()) {
            end();
            return false;
        }
        if (res.queuedBytes() + bytes.remaining() > options.maxBufferedBytes()) {
            if (options.overflowPolicy() == OverflowPolicy.DROP) {
                dropped++;
                return false;
            }
            open = false;
            res.destroy(); // drop what it holds: the memory of one slow client stays bounded
            end();
            return false;
        }
        boolean ok = shared ? res.writeShared(bytes) : res.write(bytes);
        overWatermark = !ok;
        return ok;
    }

    private void drained() {
        overWatermark = false;
        run(onDrain);
    }

    private void beat() {
        if (gone()) {
            end();
        } else if (!overWatermark) {
            write(OPENING.duplicate());
        }
    }

    private boolean gone() {
        return res.isEnded() || res.isClosed();
    }

    @Override
    public void close() {
        checkLoop();
        end();
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        open = false;
        if (heartbeat != null) {
            heartbeat.cancel();
        }
        if (!res.isEnded() && !res.isClosed()) {
            res.end();
        }
        if (terminated != null) {
            terminated.forEach(this::run);
        }
        run(onClose);
    }

    private void run(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            res.loop().reportUncaught(new EventideException("SSE handler for " + req + " threw", e));
        }
    }

    @Override
    public String lastEventId() {
        return req.header("Last-Event-ID");
    }

    @Override
    public SseStream onClose(Runnable handler) {
        this.onClose = Objects.requireNonNull(handler);
        return this;
    }

    @Override
    public SseStream onDrain(Runnable handler) {
        this.onDrain = Objects.requireNonNull(handler);
        return this;
    }

    @Override
    public boolean isOpen() {
        return open && !gone();
    }

    @Override
    public EventLoop loop() {
        return res.loop();
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public void onTerminated(Runnable listener) {
        if (!open) {
            listener.run();
            return;
        }
        if (terminated == null) {
            terminated = new ArrayList<>(2);
        }
        terminated.add(listener);
    }

    private void checkLoop() {
        if (!res.loop().inLoop()) {
            throw new IllegalStateException("SseStream for " + req + " is confined to " + res.loop().name()
                    + "; called from " + Thread.currentThread().getName() + " (use loop().execute)");
        }
    }
}
