package io.eventide.http.sse;

import io.eventide.http.Handler;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Starts Server-Sent Events responses: sets {@code Content-Type: text/event-stream},
 * {@code Cache-Control: no-cache} (and {@code X-Accel-Buffering: no}, so nginx passes events on at
 * once), sends the head, and returns the stream. The body is chunked (HTTP/1.1) and never ends on
 * its own.
 *
 * <p><b>Threading:</b> call from the handler, on the request's loop.
 */
public final class Sse {
    private Sse() {
    }

    /**
     * A route handler that starts a stream for each request and hands it to {@code onOpen}: SSE
     * mounts the way WebSockets do ({@code app.get("/events", Sse.handler(opts, sse -> ...))},
     * like {@code WebSockets.handler}).
     *
     * @param options heartbeat, retry, slow-consumer budget
     * @param onOpen receives each new stream, on its loop
     * @return a handler for a GET route
     */
    public static Handler handler(SseOptions options, Consumer<SseStream> onOpen) {
        Objects.requireNonNull(onOpen, "onOpen");
        return handler(options, (req, sse) -> onOpen.accept(sse));
    }

    /**
     * @param options heartbeat, retry, slow-consumer budget
     * @param onOpen receives the request (parameters, headers) and each new stream, on its loop
     * @return a handler for a GET route
     */
    public static Handler handler(SseOptions options, BiConsumer<HttpRequest, SseStream> onOpen) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(onOpen, "onOpen");
        return (req, res) -> onOpen.accept(req, start(req, res, options));
    }

    /**
     * @param req the request
     * @param res its response, not yet committed
     * @return the stream, with default options
     */
    public static SseStream start(HttpRequest req, HttpResponse res) {
        return start(req, res, SseOptions.defaults());
    }

    /**
     * @param req the request
     * @param res its response, not yet committed
     * @param options heartbeat, retry, slow-consumer budget
     * @return the stream
     */
    public static SseStream start(HttpRequest req, HttpResponse res, SseOptions options) {
        return EventStream.start(req, res, options);
    }
}
