package io.eventide.http;

/**
 * Answers a request: {@code (req, res) -> res.end("hi")}. It may answer now or later (from a timer,
 * a promise, another connection's callback), as long as it does so on the request's loop. What it
 * throws becomes the server's error response (see {@link HttpServer#onError}).
 *
 * <p><b>Threading:</b> called on the connection's loop; must not block.
 */
@FunctionalInterface
public interface Handler {
    /**
     * @param req the request
     * @param res the response to complete
     * @throws Exception anything; turned into an error response
     */
    void handle(HttpRequest req, HttpResponse res) throws Exception;
}
