package io.eventide.http.sse;

import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;

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
