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
 *   HANDLER   the head was dispatched              (nothing yet)
 * </pre>
 *
 * The body rate counts only a client that is slow on its own: a window in which the server held
 * the body (the handler paused it, or has not asked for it) starts over.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class Deadlines {
    static final int IDLE = 0;
    static final int HEAD = 1;
    static final int BODY = 2;
    static final int HANDLER = 3;

    /** What {@link #check} found overdue. */
    enum Verdict { NONE, IDLE_TIMEOUT, HEADER_TIMEOUT, BODY_TOO_SLOW }

    private final HttpOptions options;
    private int phase = IDLE;
    private long phaseStart = System.nanoTime();
    private long windowStart;
    private long windowBytes;

    Deadlines(HttpOptions options) {
        this.options = options;
    }

    int phase() {
        return phase;
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

    /** The handler has the request; nothing is read meanwhile. */
    void handler() {
        phase = HANDLER;
    }

    /**
     * @param now {@link System#nanoTime()}
     * @param bodyHeldByServer whether the server, not the client, holds the body back now
     * @return what is overdue
     */
    Verdict check(long now, boolean bodyHeldByServer) {
        return switch (phase) {
            case IDLE -> now - phaseStart >= options.keepAliveTimeout().toNanos() ? Verdict.IDLE_TIMEOUT : Verdict.NONE;
            case HEAD -> now - phaseStart >= options.headerTimeout().toNanos() ? Verdict.HEADER_TIMEOUT : Verdict.NONE;
            case BODY -> checkBodyRate(now, bodyHeldByServer);
            default -> Verdict.NONE;
        };
    }

    private Verdict checkBodyRate(long now, boolean heldByServer) {
        long rate = options.minBodyRate();
        if (rate == 0 || now - windowStart < options.bodyRateWindow().toNanos()) {
            return Verdict.NONE;
        }
        long needed = rate * (now - windowStart) / 1_000_000_000L;
        if (!heldByServer && windowBytes < needed) {
            return Verdict.BODY_TOO_SLOW;
        }
        windowStart = now;
        windowBytes = 0;
        return Verdict.NONE;
    }
}
