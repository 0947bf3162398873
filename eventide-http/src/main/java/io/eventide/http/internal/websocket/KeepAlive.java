package io.eventide.http.internal.websocket;

import io.eventide.core.EventLoop;
import io.eventide.core.Timer;
import java.time.Duration;

/**
 * Server-initiated keep-alive (RFC 6455 §5.5.2): a ping every interval, and the connection dropped
 * when one goes unanswered for the timeout. Pings keep proxies (nginx closes idle upstreams after
 * 60 s) from cutting quiet connections, and find peers that vanished without a FIN.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class KeepAlive {
    private final EventLoop loop;
    private final Duration interval;
    private final Duration timeout;
    private final Runnable sendPing;
    private final Runnable expired;
    private Timer ticker;
    private Timer deadline;

    KeepAlive(EventLoop loop, Duration interval, Duration timeout, Runnable sendPing, Runnable expired) {
        this.loop = loop;
        this.interval = interval;
        this.timeout = timeout;
        this.sendPing = sendPing;
        this.expired = expired;
    }

    void start() {
        if (ticker == null && !interval.isZero()) {
            ticker = loop.setInterval(interval, this::tick);
        }
    }

    private void tick() {
        if (deadline != null) {
            return; // the previous ping is still within its timeout
        }
        sendPing.run();
        deadline = loop.setTimeout(timeout, () -> {
            deadline = null;
            expired.run();
        });
    }

    /** A pong arrived: the peer is alive. */
    void pong() {
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
    }

    void stop() {
        if (ticker != null) {
            ticker.cancel();
            ticker = null;
        }
        pong();
    }
}
