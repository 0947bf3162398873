package io.eventide.http.sse;

import io.eventide.core.EventLoop;
import java.time.Duration;

/**
 * A Server-Sent Events stream (HTML Living Standard, "Server-sent events"): one long
 * {@code text/event-stream} response to which events are appended as they happen. Browsers read it
 * with {@code EventSource}, which reconnects by itself and then sends the last event id it saw in
 * {@code Last-Event-ID} ({@link #lastEventId()}), so a server that numbers its events can resume.
 *
 * <pre>{@code
 * app.get("/prices", (req, res) -> {
 *     SseStream sse = Sse.start(req, res);
 *     Subscription sub = prices.subscribe(sse);            // or sse.send("price", id, json)
 *     sse.onClose(sub::cancel);
 * });
 * }</pre>
 *
 * <p>Backpressure and slow consumers: {@code send} returns false once the connection's queue passed
 * its high watermark ({@link #onDrain} says when to go on). A producer that goes on regardless is
 * bounded by {@link SseOptions#maxBufferedBytes()}: past it the stream drops new events (counted by
 * {@link #dropped()}) or ends.
 *
 * <p><b>Threading:</b> loop-confined: call it on {@link #loop()}'s thread; callbacks run there.
 */
public interface SseStream {
    /**
     * Sends an unnamed event ({@code message} in the browser).
     *
     * @param data the data; line breaks become several {@code data:} lines
     * @return false past the high watermark, when dropped, or when the stream has ended
     */
    boolean send(String data);

    /**
     * @param event the event type, or null for {@code message}; no line breaks
     * @param id the event id the client echoes when it reconnects, or null; no line breaks or NUL
     * @param data the data; line breaks become several {@code data:} lines
     * @return like {@link #send(String)}
     */
    boolean send(String event, String id, String data);

    /**
     * @param delay how long the client should wait before reconnecting
     * @return like {@link #send(String)}
     */
    boolean retry(Duration delay);

    /**
     * @param text a comment (ignored by clients; a heartbeat); no line breaks
     * @return like {@link #send(String)}
     */
    boolean comment(String text);

    /** @return the {@code Last-Event-ID} the client sent when reconnecting, or null */
    String lastEventId();

    /** @param handler called once when the stream ends, whatever ended it @return this stream */
    SseStream onClose(Runnable handler);

    /** @param handler called when the connection can take more after a false send @return this */
    SseStream onDrain(Runnable handler);

    /** Ends the response; the client's EventSource will reconnect unless it was told otherwise. */
    void close();

    /** @return whether events can still be sent */
    boolean isOpen();

    /** @return the loop this stream belongs to */
    EventLoop loop();

    /** @return events dropped by the {@link io.eventide.http.OverflowPolicy#DROP} policy */
    long dropped();
}
