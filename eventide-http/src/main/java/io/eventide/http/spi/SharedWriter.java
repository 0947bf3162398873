package io.eventide.http.spi;

import io.eventide.core.EventLoop;
import java.nio.ByteBuffer;

/**
 * A stream that takes bytes encoded once and shared by many streams (a topic's fan-out): a
 * server-side WebSocket takes a whole unmasked text frame, an SSE stream an encoded event. The
 * bytes are read-only and shared by every subscriber of a publish; the writer queues a view, copies
 * nothing, and applies its own slow-consumer budget. Topics ({@code io.eventide.http.topic}) look
 * for this interface instead of downcasting to an implementation; a stream that cannot take shared
 * bytes (a client WebSocket, which must mask each frame) says so with {@link #sharedFormat()}.
 *
 * <p><b>Threading:</b> loop-confined to {@link #loop()}, except {@code loop()} and
 * {@code sharedFormat()}.
 */
public interface SharedWriter {
    /** The wire format a writer takes shared bytes in. */
    enum Format {
        /** Takes no shared bytes. */
        NONE,
        /** A whole unmasked WebSocket text frame (RFC 6455 §5.6). */
        WEBSOCKET_TEXT_FRAME,
        /** One encoded Server-Sent Event, blank line included. */
        SSE_EVENT
    }

    /** @return the loop the stream belongs to */
    EventLoop loop();

    /** @return the format of the shared bytes this writer takes */
    Format sharedFormat();

    /**
     * @param encoded bytes in {@link #sharedFormat()}, shared and read-only; its position is untouched
     * @return false if not written (closed, dropped by the budget) or past the high watermark
     */
    boolean writeShared(ByteBuffer encoded);

    /** @return whether the stream still takes messages */
    boolean isOpen();

    /** @param listener runs once when the stream is closed (to unsubscribe it) */
    void onTerminated(Runnable listener);
}
