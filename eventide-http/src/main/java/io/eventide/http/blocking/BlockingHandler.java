package io.eventide.http.blocking;

/**
 * A handler that may block: {@code (req, res) -> res.end(jdbc.query(...))}. It runs on a virtual
 * thread of its own ({@link Blocking#blocking}), where JDBC, file calls, {@code Thread.sleep} and
 * {@link Blocking#await} are fine; the response it writes is still written by the loop.
 *
 * <p><b>Threading:</b> called on a virtual thread, never on a loop; may block.
 */
@FunctionalInterface
public interface BlockingHandler {
    /**
     * @param req the request, readable from this thread
     * @param res the response; each call hands the work to the loop and waits for it
     * @throws Exception anything: an {@link io.eventide.http.HttpException} answers its status, any
     *     other exception 500 (logged), unless the response had already started (then the
     *     connection is closed)
     */
    void handle(BlockingRequest req, BlockingResponse res) throws Exception;
}
