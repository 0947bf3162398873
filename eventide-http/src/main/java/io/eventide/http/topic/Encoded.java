package io.eventide.http.topic;

import io.eventide.http.internal.sse.SseEncoder;
import io.eventide.http.internal.websocket.FrameEncoder;
import io.eventide.http.internal.websocket.Frames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One published message with its wire forms, encoded once on the publishing thread and then only
 * read (handed to loops through {@code execute}, which publishes it safely).
 *
 * @param message the message
 * @param text its text form, or null if no stream subscriber needed it at publish time
 * @param frame an unmasked WebSocket text frame, read-only and direct, or null
 * @param event an SSE event, read-only, or null
 * @param <T> the message type
 */
record Encoded<T>(T message, String text, ByteBuffer frame, ByteBuffer event) {

    static <T> Encoded<T> of(T message, Function<? super T, String> toText, boolean frame, boolean event) {
        if (!frame && !event) {
            return new Encoded<>(message, null, null, null);
        }
        String text = toText.apply(message);
        return new Encoded<>(message, text, frame ? frame(text) : null, event ? event(text) : null);
    }

    static ByteBuffer frame(String text) {
        return FrameEncoder.unmaskedFrame(Frames.TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    static ByteBuffer event(String text) {
        return ByteBuffer.wrap(SseEncoder.event(null, null, text)).asReadOnlyBuffer();
    }
}
