package io.eventide.http.sse;

import io.eventide.http.OverflowPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an event stream. Start from {@link #defaults()}:
 * {@code SseOptions.defaults().heartbeat(Duration.ofSeconds(10)).retry(Duration.ofSeconds(2))}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>heartbeat</td><td>15 s</td><td>a comment line this often keeps proxies from closing a
 *       quiet stream and finds clients that left; ZERO for none</td></tr>
 *   <tr><td>retry</td><td>none</td><td>reconnection delay sent to the client first</td></tr>
 *   <tr><td>maxBufferedBytes</td><td>{@value #DEFAULT_MAX_BUFFERED_BYTES}</td><td>bytes sent past
 *       the connection's high watermark before the overflow policy applies</td></tr>
 *   <tr><td>overflowPolicy</td><td>CLOSE</td><td>drop new events, or end the stream</td></tr>
 * </table>
 *
 * @param heartbeat comment interval, ZERO for none
 * @param retry reconnection delay announced to the client, or null
 * @param maxBufferedBytes the slow-consumer budget
 * @param overflowPolicy what happens past it
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record SseOptions(Duration heartbeat, Duration retry, long maxBufferedBytes, OverflowPolicy overflowPolicy) {
    /** Default slow-consumer budget, bytes. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

    /** Validates the settings. */
    public SseOptions {
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        if (maxBufferedBytes < 1) {
            throw new IllegalArgumentException("maxBufferedBytes must be positive: " + maxBufferedBytes);
        }
    }

    /** @return the defaults */
    public static SseOptions defaults() {
        return new SseOptions(Duration.ofSeconds(15), null, DEFAULT_MAX_BUFFERED_BYTES, OverflowPolicy.CLOSE);
    }

    /** @param interval comment interval, ZERO for none @return a copy with it */
    public SseOptions heartbeat(Duration interval) {
        return new SseOptions(interval, retry, maxBufferedBytes, overflowPolicy);
    }

    /** @param delay reconnection delay announced first, null for none @return a copy with it */
    public SseOptions retry(Duration delay) {
        return new SseOptions(heartbeat, delay, maxBufferedBytes, overflowPolicy);
    }

    /** @param budget the slow-consumer budget @param policy past it @return a copy with them */
    public SseOptions maxBufferedBytes(long budget, OverflowPolicy policy) {
        return new SseOptions(heartbeat, retry, budget, policy);
    }
}
