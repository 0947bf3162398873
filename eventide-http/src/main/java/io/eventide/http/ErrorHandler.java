package io.eventide.http;

/**
 * Turns an exception thrown by a handler into a response. The default answers
 * {@link HttpException#status()} with its safe message, and 500 {@code Internal Server Error} for
 * anything else, never sending a stack trace to the client (it is logged instead).
 *
 * <p><b>Threading:</b> called on the connection's loop.
 */
@FunctionalInterface
public interface ErrorHandler {
    /**
     * @param req the request that failed
     * @param res its response (not yet started)
     * @param error what was thrown
     * @throws Exception if it fails too; the server then answers a bare 500
     */
    void handle(HttpRequest req, HttpResponse res, Throwable error) throws Exception;
}
