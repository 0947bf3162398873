package io.eventide.http.blocking;

import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Promise;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Handlers that may block, on virtual threads, with the loop still writing the response: what Node
 * cannot do and Java can.
 *
 * {@snippet :
 * import static io.eventide.http.blocking.Blocking.await;
 * import static io.eventide.http.blocking.Blocking.blocking;
 *
 * app.get("/report", blocking((req, res) -> {
 *     try (var c = dataSource.getConnection()) {            // JDBC: blocks this virtual thread only
 *         res.end(render(c, req.param("id")));
 *     }
 * }));
 * app.get("/mixed", blocking(16, (req, res) -> {
 *     String a = await(httpClient.get(urlA).flatMap(ClientResponse::bodyAsString)); // a promise, awaited
 *     res.end(a + slowLegacyCall());
 * }));
 * }
 *
 * <pre>
 *   loop: request ─► route in flight &lt; limit? ─no─► 503 + Retry-After (on the loop, at once)
 *                                    │yes
 *                                    ▼
 *   virtual thread "eventide-blocking GET /report#7": handler(req, res) ─ may block, may await
 *        res.write/end ─► loop.execute ─► HttpResponse on the loop (waits for backpressure)
 *   pinned carrier (JFR jdk.VirtualThreadPinned) ─► reported to the group's watchdog sink
 * </pre>
 *
 * <p><b>Per-route limit.</b> Each {@link BlockingRoute} lets at most its limit of handlers run at
 * once (default {@value #DEFAULT_MAX_CONCURRENT}, or the number given to
 * {@link #blocking(int, BlockingHandler)}); past
 * it a request is answered 503 with {@code Retry-After: 1} on the loop, without starting a thread:
 * the database behind the route is protected, not just the server.
 *
 * <p><b>Pinning.</b> A virtual thread that blocks while pinned to its carrier (inside a class
 * initializer or a native frame; on JDK 21-23 also inside {@code synchronized}) holds a carrier
 * thread, and enough of them stall every virtual thread. The JFR event
 * {@code jdk.VirtualThreadPinned} is streamed in-process; each one from a blocking route is
 * reported, with its stack, to the loop group's watchdog sink
 * ({@link io.eventide.core.LoopOptions#onBlocked()}) as a {@link io.eventide.core.BlockedLoopReport}
 * whose loop name starts with {@code "virtual thread"}.
 *
 * <p><b>Threading:</b> {@link #blocking} builds routes (any thread, before the server starts);
 * {@link #await} blocks and therefore refuses to run on a loop thread.
 */
public final class Blocking {
    /** Default number of handlers of one route running at once. */
    public static final int DEFAULT_MAX_CONCURRENT = 256;

    private Blocking() {
    }

    /**
     * @param handler the code that may block
     * @return a route handler running it on virtual threads, at most
     *     {@value #DEFAULT_MAX_CONCURRENT} at once
     */
    public static BlockingRoute blocking(BlockingHandler handler) {
        return blocking(DEFAULT_MAX_CONCURRENT, handler);
    }

    /**
     * @param maxConcurrent handlers of this route running at once, at least 1; past it, 503
     * @param handler the code that may block
     * @return the route handler
     */
    public static BlockingRoute blocking(int maxConcurrent, BlockingHandler handler) {
        return new BlockingRoute(maxConcurrent, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Waits for a promise: inside a blocking handler (or any thread that is not a loop), async APIs
     * read like blocking ones. The virtual thread unmounts while it waits.
     *
     * <p>A caveat of the promise model, not of {@code await}: a promise made on this thread (say
     * by {@code loop.offload(...)}) that fails on its loop before {@code await} attached may be
     * reported as an unhandled rejection too, since the loop checks for handlers right after it
     * settles the promise; the exception still reaches the caller of {@code await}.
     *
     * @param <T> value type
     * @param promise the promise (of any loop)
     * @return its value
     * @throws IllegalStateException on a loop thread, where waiting would deadlock the loop
     * @throws RuntimeException the promise's failure, as is if unchecked
     */
    public static <T> T await(Promise<T> promise) {
        Objects.requireNonNull(promise, "promise");
        EventLoop here = EventLoop.current();
        if (here != null) {
            throw new IllegalStateException("await() would block loop " + here.name()
                    + "; use map/flatMap there, or run this code in a blocking(...) route");
        }
        return promise.join(); // blocking-ok: refused on loop threads above; a virtual thread parks
    }

    /** Waits for a future on the handler's thread, rethrowing its failure unwrapped. */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(); // blocking-ok (a blocking route's virtual thread)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventideException("interrupted while waiting for the loop", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new EventideException(String.valueOf(c), c);
        }
    }
}
