package io.eventide.bus.nats;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the NATS server is and how the bridge uses JetStream.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>url</td><td>{@code nats://127.0.0.1:4222}</td></tr>
 *   <tr><td>maxPendingSends</td><td>{@value #DEFAULT_MAX_PENDING_SENDS}: sends accepted and not yet
 *       acknowledged (PubAck); past it a send fails with {@code OverloadException}</td></tr>
 *   <tr><td>reconnectDelay</td><td>250 ms</td></tr>
 *   <tr><td>maxAge</td><td>24 h: how long a stream keeps messages (limits retention)</td></tr>
 * </table>
 *
 * @param url server URL
 * @param maxPendingSends bound of accepted, unacknowledged sends
 * @param reconnectDelay delay between reconnect attempts
 * @param maxAge message age limit of the streams the bridge creates
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record NatsOptions(String url, int maxPendingSends, Duration reconnectDelay, Duration maxAge) {
    /** Default bound of unacknowledged sends. */
    public static final int DEFAULT_MAX_PENDING_SENDS = 8192;

    /** Validates. */
    public NatsOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(reconnectDelay, "reconnectDelay");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxPendingSends < 1) {
            throw new IllegalArgumentException("maxPendingSends must be >= 1: " + maxPendingSends);
        }
    }

    /** @return the defaults: the local server */
    public static NatsOptions defaults() {
        return new NatsOptions("nats://127.0.0.1:4222", DEFAULT_MAX_PENDING_SENDS, Duration.ofMillis(250), Duration.ofHours(24));
    }

    /** @param u server URL @return a copy */
    public NatsOptions url(String u) {
        return new NatsOptions(u, maxPendingSends, reconnectDelay, maxAge);
    }

    /** @param n bound of unacknowledged sends @return a copy */
    public NatsOptions maxPendingSends(int n) {
        return new NatsOptions(url, n, reconnectDelay, maxAge);
    }
}
