package io.eventide.http.blocking;

import io.eventide.core.EventLoop;
import io.eventide.http.Handler;
import io.eventide.http.HttpException;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.internal.blocking.PinnedThreads;
import java.lang.System.Logger.Level;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A route whose handler runs on virtual threads ({@link Blocking#blocking}), with its concurrency
 * limit and counters.
 *
 * <p><b>Threading:</b> {@link #handle} is called by the server on a loop; the counters may be read
 * from any thread.
 */
public final class BlockingRoute implements Handler {
    private static final System.Logger LOG = System.getLogger("io.eventide.http");
    private static final AtomicLong SEQ = new AtomicLong();

    private final int maxConcurrent;
    private final BlockingHandler handler;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong pinned = new AtomicLong();

    BlockingRoute(int maxConcurrent, BlockingHandler handler) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1: " + maxConcurrent);
        }
        this.maxConcurrent = maxConcurrent;
        this.handler = handler;
        PinnedThreads.start();
    }

    @Override
    public void handle(HttpRequest req, HttpResponse res) {
        // Only the loop increments, but handlers finish on their threads: a CAS-free check is
        // enough, since a stale read can only refuse one request more, never admit one too many.
        if (inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            rejected.incrementAndGet();
            res.status(503).header("Retry-After", "1").contentType("text/plain; charset=utf-8")
                    .end("busy: " + maxConcurrent + " requests of this route are running (blocking max-concurrent)\n");
            return;
        }
        BlockingRequest breq = new BlockingRequest(req);
        BlockingResponse bres = new BlockingResponse(res);
        EventLoop loop = req.loop();
        String name = "eventide-blocking " + req.method() + " " + req.path() + "#" + SEQ.incrementAndGet();
        ThreadFactory vt = Thread.ofVirtual().name(name).factory();
        Thread t = vt.newThread(() -> run(breq, bres));
        // Registered by name and never removed at the end: JFR reports a second or so late, and
        // the bounded map forgets the oldest threads by itself.
        PinnedThreads.register(t, loop.group(), req.method() + " " + req.path(), pinned);
        t.start();
    }

    private void run(BlockingRequest req, BlockingResponse res) {
        try {
            handler.handle(req, res);
            res.completeIfOpen();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            failed(req, res, t);
        } finally {
            completed.incrementAndGet();
            inFlight.decrementAndGet();
        }
    }

    /** Like the server's default error handler, but from the handler's thread. */
    private static void failed(BlockingRequest req, BlockingResponse res, Throwable t) {
        try {
            if (!res.isCommitted()) {
                if (t instanceof HttpException he) {
                    res.sendError(he.status(), he.safeMessage());
                    return;
                }
                LOG.log(Level.ERROR, "blocking handler for " + req + " threw; answering 500", t);
                res.sendError(500, "Internal Server Error");
            } else if (!res.isEnded()) {
                LOG.log(Level.WARNING, "blocking handler for " + req + " failed after the response started; closing", t);
                req.loop().execute(() -> res.raw().destroy());
            }
        } catch (RuntimeException e) {
            // The client left while we were answering: nothing more to send.
            LOG.log(Level.DEBUG, "could not answer the failure of " + req, e);
        }
    }

    /** @return the limit of handlers running at once */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** @return handlers running now */
    public int inFlight() {
        return Math.max(0, inFlight.get());
    }

    /** @return requests answered 503 because the limit was reached */
    public long rejected() {
        return rejected.get();
    }

    /** @return handlers that finished (normally or not) */
    public long completed() {
        return completed.get();
    }

    /** @return pinned-carrier events seen from this route's threads */
    public long pinnedEvents() {
        return pinned.get();
    }
}
