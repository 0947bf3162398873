package io.eventide.http.internal.client;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Timer;
import io.eventide.core.net.Connection;
import io.eventide.http.HttpHeaders;
import io.eventide.http.internal.codec.Http1Limits;
import io.eventide.http.internal.codec.HttpResponseHead;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One HTTP/1.1 connection to an origin, carrying one exchange at a time (no pipelining).
 *
 * <pre>
 *  request.attach ──write──► socket ──► server
 *  socket ──onData──► ResponseDecoder ──HEAD──► Http1ClientResponse (resolves the promise)
 *                                     ──DATA──► response.deliver (to its consumer, or its queue)
 *                                     ──end───► pool.release(reusable?) ──► response.complete
 *  response cannot take more (queue full, no consumer or paused): rest of the read ──► stash;
 *  socket paused
 * </pre>
 *
 * <p>An exchange, step by step:
 * <ol>
 *   <li>The pool {@link #assign}s a request; it writes its head and body through {@link #write}
 *       and calls {@link #requestSent} once the body is queued, which starts the head timeout.</li>
 *   <li>Response bytes are decoded as they arrive. The final head resolves the request's promise;
 *       body views go to the response, which hands them to its consumer or queues a bounded amount.
 *       When it can take no more, the rest of the read is copied to the stash and the socket
 *       paused, so at most one read is held here; resuming replays the stash before the socket
 *       is read again. The idle timeout is suspended while the application pauses on purpose,
 *       and kept while nobody reads, so an abandoned body cannot hold a connection for ever.</li>
 *   <li>At the end of the response the connection goes back to the pool only if both sides keep
 *       it alive, the request was fully sent, the body was not close-delimited and no stray byte
 *       followed; otherwise it is destroyed.</li>
 *   <li>A malformed response, a timeout or an abort fails the exchange and destroys the socket.
 *       A socket that closes mid-exchange fails it too, with one exception: on a reused
 *       connection, before any response byte, an idempotent replayable request is handed back to
 *       the pool to be retried once on a new connection (RFC 9112 §9.3.1; the server closed an
 *       idle connection just as the request arrived).</li>
 * </ol>
 * While idle in the pool the socket keeps reading, so a server's FIN removes it at once; bytes
 * arriving while idle mean the server broke framing, and destroy it.
 *
 * <p><b>Threading:</b> loop-confined, like its {@link Connection}.
 */
final class Http1ClientConnection {
    private final Connection conn;
    private final OriginPool pool;
    private final EventLoop loop;
    private final ResponseDecoder decoder;
    private Http1ClientRequest request;
    private Http1ClientResponse response;
    private ByteBuffer stash;
    private Timer headTimer;
    private Duration idleTimeout = Duration.ZERO;
    private boolean idleArmed;
    private int exchanges;
    private boolean reused;
    private boolean responseBytes;
    private boolean requestSent;
    private boolean closeAfterExchange;
    private boolean pumpScheduled;

    Http1ClientConnection(Connection conn, OriginPool pool, Http1Limits limits) {
        this.conn = conn;
        this.pool = pool;
        this.loop = conn.loop();
        this.decoder = new ResponseDecoder(limits);
        conn.label("http-client:" + pool.origin())
                .onData(this::onData)
                .onEnd(this::onEnd)
                .onDrain(this::onDrain)
                .onClose(this::onClose)
                .onShutdown(this::onShutdown);
    }

    // ------------------------------------------------------------------------------------------
    // Pool side

    /** Starts an exchange: the request writes itself. */
    void assign(Http1ClientRequest req) {
        assert loop.inLoop() && request == null;
        request = req;
        response = null;
        reused = exchanges++ > 0;
        responseBytes = false;
        requestSent = false;
        decoder.reset(req.isHeadRequest());
        idleTimeout = req.idleTimeout();
        armIdle(true);
        req.attach(this);
    }

    /** Parks the connection in the pool: it is closed after {@code keepAlive} unused. */
    void park(Duration keepAlive) {
        conn.idleTimeout(keepAlive);
    }

    boolean isUsable() {
        return !conn.isClosed() && !conn.isEnding() && !conn.isReadEnded();
    }

    boolean isIdle() {
        return request == null;
    }

    void destroy() {
        conn.destroy();
    }

    Origin origin() {
        return pool.origin();
    }

    // ------------------------------------------------------------------------------------------
    // Request side

    /** {@return whether {@code r} owns the exchange and the socket still takes writes} */
    boolean isCurrent(Http1ClientRequest r) {
        return request == r && !conn.isEnding();
    }

    boolean write(ByteBuffer b) {
        return conn.write(b);
    }

    /** The whole request is queued: the wait for the response head starts. */
    void requestSent(Http1ClientRequest r) {
        if (request != r) {
            return;
        }
        requestSent = true;
        if (response == null && headTimer == null) {
            Duration limit = r.headTimeout();
            headTimer = loop.setTimeout(limit, () -> abortExchange(new DeadlineExceededException("no response head from "
                    + pool.origin() + " within " + limit.toMillis() + " ms (head-timeout)")));
        }
    }

    void closeAfterExchange() {
        closeAfterExchange = true;
    }

    /** Fails the exchange of {@code r}, if it is still the current one, and destroys the socket. */
    void abort(Http1ClientRequest r, Throwable cause) {
        if (request == r) {
            abortExchange(cause);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Response side: flow control

    /** {@code r} stopped the flow: stop reading, and stop counting idle time against the server. */
    void pauseReading(Http1ClientResponse r) {
        if (response == r) {
            conn.pause();
            armIdle(false);
        }
    }

    /** {@code r} wants data again: replay the stash, then read the socket (after this callback). */
    void resumeReading(Http1ClientResponse r) {
        if (response == r && !pumpScheduled) {
            pumpScheduled = true;
            loop.queueMicrotask(this::pump);
        }
    }

    void abort(Http1ClientResponse r, Throwable cause) {
        if (response == r) {
            abortExchange(cause);
        }
    }

    private void pump() {
        pumpScheduled = false;
        if (response == null || !response.canTake()) {
            return;
        }
        if (stash != null && stash.hasRemaining()) {
            feed(stash);
        }
        if (response != null && response.canTake() && (stash == null || !stash.hasRemaining())) {
            conn.resume();
            armIdle(true);
        }
    }

    private void stash(ByteBuffer in) {
        if (in != stash) {
            int need = in.remaining() + (stash == null ? 0 : stash.remaining());
            if (stash == null || stash.capacity() < need) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(need, 16 * 1024));
                if (stash != null) {
                    grown.put(stash);
                }
                stash = grown;
            } else {
                stash.compact();
            }
            stash.put(in).flip();
        }
        conn.pause();
        // A body paused on purpose may wait as long as the application likes; one nobody started
        // reading keeps the idle timeout, which closes the connection if it is abandoned.
        armIdle(!response.isPaused());
    }

    private void armIdle(boolean on) {
        if (on != idleArmed) {
            idleArmed = on;
            conn.idleTimeout(on ? idleTimeout : Duration.ZERO);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Socket events

    private void onData(ByteBuffer in) {
        if (request == null) {
            // Bytes on an idle connection: the server broke framing, or sent an unsolicited
            // response (a 408) before closing. Nothing after that can be trusted.
            in.position(in.limit());
            conn.destroy();
            return;
        }
        responseBytes = true;
        feed(in);
    }

    private void feed(ByteBuffer in) {
        while (request != null) {
            if (decoder.isDone()) {
                finish(in);
                return;
            }
            if (!in.hasRemaining()) {
                return;
            }
            if (response != null && !response.canTake()) {
                stash(in);
                return;
            }
            switch (decoder.decode(in)) {
                case NEED_MORE -> {
                    return;
                }
                case HEAD -> headReceived(decoder.head());
                case DATA -> response.deliver(decoder.data());
                case ERROR -> abortExchange(new EventideException("malformed response from " + pool.origin()
                        + ": " + decoder.error()));
                default -> {
                    // END: decoder.isDone() now holds; finished on the next turn.
                }
            }
        }
    }

    private void headReceived(HttpResponseHead head) {
        cancelHeadTimer();
        if (!head.keepAlive()) {
            closeAfterExchange = true;
        }
        response = new Http1ClientResponse(this, head, loop, pool.options().maxResponseBodyBytes());
        request.responded(response);
    }

    private void finish(ByteBuffer in) {
        Http1ClientRequest q = request;
        Http1ClientResponse r = response;
        HttpHeaders trailers = decoder.trailers();
        boolean reusable = !closeAfterExchange && requestSent && !in.hasRemaining() && !decoder.closeDelimited()
                && isUsable();
        in.position(in.limit());
        detach();
        // Release before telling the application, so a request made from onEnd can reuse us.
        pool.release(this, reusable);
        q.completed();
        r.complete(trailers);
    }

    private void onEnd() {
        if (request != null && decoder.endOfInput()) {
            closeAfterExchange = true; // a close-delimited body just ended
            feed(ByteBuffer.allocate(0));
        }
        // Otherwise the response was cut short: the close that follows at once reports it. An
        // idle connection simply closes and leaves the pool.
    }

    private void onDrain() {
        if (request != null) {
            request.drained();
        }
    }

    private void onClose(Throwable cause) {
        Http1ClientRequest q = request;
        Http1ClientResponse r = response;
        if (q == null) {
            pool.removed(this, null);
            return;
        }
        EventideException error = closedError(cause);
        detach();
        boolean stale = r == null && !responseBytes && reused && !(cause instanceof DeadlineExceededException)
                && !loop.isClosing();
        if (stale && q.canRetry()) {
            q.retrying();
            pool.removed(this, q);
            return;
        }
        pool.removed(this, null);
        fail(q, r, error);
    }

    private void onShutdown() {
        if (request == null) {
            conn.destroy();
        } else {
            closeAfterExchange = true;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Ending an exchange

    private void abortExchange(Throwable cause) {
        Http1ClientRequest q = request;
        Http1ClientResponse r = response;
        if (q == null) {
            return;
        }
        detach();
        conn.destroy(); // onClose finds no exchange and only tells the pool
        fail(q, r, cause);
    }

    private static void fail(Http1ClientRequest q, Http1ClientResponse r, Throwable cause) {
        if (r != null) {
            r.fail(cause);
        }
        q.fail(cause);
    }

    private void detach() {
        request = null;
        response = null;
        cancelHeadTimer();
        if (stash != null) {
            stash.clear().limit(0);
        }
        armIdle(false);
        if (conn.isPaused()) {
            conn.resume(); // an idle connection keeps reading, to notice the server's FIN
        }
    }

    private void cancelHeadTimer() {
        if (headTimer != null) {
            headTimer.cancel();
            headTimer = null;
        }
    }

    private EventideException closedError(Throwable cause) {
        if (cause instanceof DeadlineExceededException && response != null && !response.isFlowing()) {
            return new DeadlineExceededException("response body from " + pool.origin() + " was not read for "
                    + idleTimeout.toMillis() + " ms (idle-timeout); consume or discard every body");
        }
        if (cause instanceof DeadlineExceededException) {
            return new DeadlineExceededException("no data from " + pool.origin() + " for " + idleTimeout.toMillis()
                    + " ms (idle-timeout)");
        }
        String what = "connection to " + pool.origin() + (cause == null ? " closed " : " failed ")
                + decoder.truncation();
        return cause == null ? new EventideException(what) : new EventideException(what + ": " + cause, cause);
    }

    @Override
    public String toString() {
        return "Http1ClientConnection[" + pool.origin() + ", " + conn + (request == null ? ", idle" : ", busy") + "]";
    }
}
