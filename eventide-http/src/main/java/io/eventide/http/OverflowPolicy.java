package io.eventide.http;

/**
 * What a long-lived stream (a WebSocket, an event stream) does with a new message once its
 * connection holds more unsent bytes than its budget: the client reads too slowly to keep up, and
 * queueing more would let one slow client grow the server's memory without bound.
 *
 * <p><b>Threading:</b> constants; any thread.
 */
public enum OverflowPolicy {
    /** Drop the new message and count it; the stream stays open (live data where the latest wins). */
    DROP,
    /** Close the stream (WebSocket: 1008 policy violation) and stop queueing. */
    CLOSE
}
