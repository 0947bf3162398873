package io.eventide.http.internal.server;

import io.eventide.http.HttpOptions;

/**
 * The clocks of one connection. No timer is armed per request: the loop's sweep
 * ({@link ServerLoop}) asks each connection's deadlines once per sweep interval what is overdue.
 *
 * <pre>
 *   phase     starts when                          overdue when                       then
 *   IDLE      a response ended (keep-alive)        keep-alive-timeout passed          close
 *   HEAD      the first byte of a request arrived  header-timeout passed              408, close
 *   BODY      the body is read                     under min-body-rate over a window  408, close
 *   HANDLER   the request is with the handler      handler-timeout passed, no head    503, logged
 *   DISCARD   answered before the body was in      under min-body-rate, or            close
 *             (the rest is read and dropped)       header-timeout passed
 * </pre>
 *
 * The body rate counts only a client that is slow on its own: a window in which the server held
 * the body (the handler paused it, or has not asked for it) starts over. A discarded rest is never
 * held by the server, so a client that stops sending it is cut off (issue 9, defect 2: it used to
 * stay open for good, past both the header timeout and the body rate).
 *
 * <p>While the server drains ({@link #draining(long)}), an idle connection is closed once it has been
 * quiet for {@link #DRAIN_IDLE_QUIET_NANOS} (or the keep-alive timeout, if shorter), not at once: a
 * proxy (nginx) reusing a pooled upstream connection picks the most recently used one, so a
 * connection active a moment ago may carry a request right now, and closing it makes the proxy log
 * "upstream prematurely closed" and, for a POST, answer 502. One quiet this long is at the cold end
 * of the pool. Connections accepted from the accept queue during the drain get the same time for
 * their first request.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class Deadlines {
    /** How long an idle connection must have been quiet before a drain closes it. */
    static final long DRAIN_IDLE_QUIET_NANOS = 1_000_000_000L;

    static final int IDLE = 0;
    static final int HEAD = 1;
    static final int BODY = 2;
    static final int HANDLER = 3;
    static final int DISCARD = 4;

    /** What {@link #check} found overdue. */
    enum Verdict { NONE, IDLE_TIMEOUT, HEADER_TIMEOUT, BODY_TOO_SLOW, HANDLER_TIMEOUT, DISCARD_STALLED }

    private final HttpOptions options;
    private int phase = IDLE;
    private long phaseStart = System.nanoTime();
    private long windowStart;
    private long windowBytes;
    private long drainQuietNanos = -1;

    Deadlines(HttpOptions options) {
        this.options = options;
    }

    int phase() {
        return phase;
    }

    /**
     * The server drains: idle connections close once quiet for {@link #idleLimit()}.
     *
     * @param quietNanos how long an idle connection must have been quiet ({@link ServerEngine#drainQuietNanos})
     */
    void draining(long quietNanos) {
        drainQuietNanos = quietNanos;
    }

    /** @return how long an idle connection may stay idle now */
    private long idleLimit() {
        long limit = options.keepAliveTimeout().toNanos();
        return drainQuietNanos >= 0 ? Math.min(limit, drainQuietNanos) : limit;
    }

    /**
     * @param now {@link System#nanoTime()}
     * @return whether an idle connection has been quiet long enough to be closed now
     */
    boolean quietEnough(long now) {
        return quietRemaining(now) <= 0;
    }

    /**
     * @param now {@link System#nanoTime()}
     * @return nanoseconds until an idle connection has been quiet long enough to be closed
     */
    long quietRemaining(long now) {
        return idleLimit() - (now - phaseStart);
    }

    /** Between requests. */
    void idle(long now) {
        phase = IDLE;
        phaseStart = now;
    }

    /** Bytes of a request head arrive; starts the header clock once. */
    void head(long now) {
        if (phase == IDLE) {
            phase = HEAD;
            phaseStart = now;
        }
    }

    /** The body is being read; starts the rate window once. */
    void body(long now) {
        if (phase != BODY) {
            phase = BODY;
            phaseStart = now;
            windowStart = now;
            windowBytes = 0;
        }
    }

    /** Counts body bytes towards the current rate window. */
    void bodyBytes(int n) {
        windowBytes += n;
    }

    /** The handler has the request (its head, or its whole body); starts the handler clock. */
    void handler(long now) {
        phase = HANDLER;
        phaseStart = now;
    }

    /** The response ended before the body: the rest is read and dropped, under the body's clocks. */
    void discard(long now) {
        phase = DISCARD;
        phaseStart = now;
        windowStart = now;
        windowBytes = 0;
    }

    /**
     * @param now {@link System#nanoTime()}
     * @param bodyHeldByServer whether the server, not the client, holds the body back now
     * @param answered whether the response head went out
     * @return what is overdue
     */
    Verdict check(long now, boolean bodyHeldByServer, boolean answered) {
        long elapsed = now - phaseStart;
        return switch (phase) {
            case IDLE -> elapsed >= idleLimit() ? Verdict.IDLE_TIMEOUT : Verdict.NONE;
            case HEAD -> elapsed >= options.headerTimeout().toNanos() ? Verdict.HEADER_TIMEOUT : Verdict.NONE;
            case BODY -> tooSlow(now, bodyHeldByServer) ? Verdict.BODY_TOO_SLOW : Verdict.NONE;
            case HANDLER -> !answered && !options.handlerTimeout().isZero()
                    && elapsed >= options.handlerTimeout().toNanos() ? Verdict.HANDLER_TIMEOUT : Verdict.NONE;
            case DISCARD -> elapsed >= options.headerTimeout().toNanos() || tooSlow(now, false)
                    ? Verdict.DISCARD_STALLED : Verdict.NONE;
            default -> Verdict.NONE;
        };
    }

    /** Checks a full rate window, then starts the next one. */
    private boolean tooSlow(long now, boolean heldByServer) {
        long rate = options.minBodyRate();
        if (rate == 0 || now - windowStart < options.bodyRateWindow().toNanos()) {
            return false;
        }
        long needed = rate * (now - windowStart) / 1_000_000_000L;
        if (!heldByServer && windowBytes < needed) {
            return true;
        }
        windowStart = now;
        windowBytes = 0;
        return false;
    }
}
