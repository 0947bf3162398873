package io.eventide.http.internal.fanout;

import io.eventide.core.EventLoop;
import java.nio.ByteBuffer;

/**
 * A stream a topic can hand pre-encoded bytes to: a server-side WebSocket takes a whole unmasked
 * frame, an event stream takes the encoded event. The bytes are shared by every subscriber of a
 * publish and must not be modified; the sink applies its own slow-consumer budget.
 *
 * <p><b>Threading:</b> loop-confined to {@link #loop()}, except {@code loop()} itself.
 */
public interface FanoutSink {
    /** @return the loop the stream belongs to */
    EventLoop loop();

    /**
     * @param encoded bytes in this sink's wire format, shared and read-only
     * @return false if not sent (closed, dropped by the budget) or past the high watermark
     */
    boolean sendShared(ByteBuffer encoded);

    /** @return whether the stream still takes messages */
    boolean isOpen();

    /** @param listener runs once when the stream is closed (to unsubscribe it) */
    void onTerminated(Runnable listener);
}
