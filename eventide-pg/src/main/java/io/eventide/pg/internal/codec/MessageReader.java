package io.eventide.pg.internal.codec;

import java.nio.ByteBuffer;

/**
 * Splits the backend's byte stream into messages. Whole messages are handed out as slices of the
 * buffer that was read (no copy); only a message cut by the end of a read is copied into a private
 * buffer that grows to its size, bounded by {@link #maxMessage}.
 *
 * <p><b>Threading:</b> not thread-safe; each connection owns one, on its loop.
 */
public final class MessageReader {
    /** Receives one backend message; {@code body} is valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param type the message type byte
         * @param body the message body (after the length), positioned at its start
         */
        void message(byte type, ByteBuffer body);

        /** @return false to stop handing out messages (the rest stays buffered) */
        default boolean wantsMore() {
            return true;
        }
    }

    private final int maxMessage;
    private ByteBuffer partial = ByteBuffer.allocate(0);

    /** @param maxMessage the largest message accepted, in bytes; past it the stream is refused */
    public MessageReader(int maxMessage) {
        this.maxMessage = maxMessage;
    }

    /** @return whether bytes of an unfinished message (or held messages) are buffered */
    public boolean hasBuffered() {
        return partial.position() > 0;
    }

    /**
     * Feeds bytes just read.
     *
     * @param in the bytes; consumed entirely (what is not handed out is copied)
     * @param sink receives each complete message
     * @throws IllegalStateException when a message announces an impossible length
     */
    public void feed(ByteBuffer in, Sink sink) {
        if (partial.position() > 0) {
            fillPartial(in, sink);
            if (partial.position() > 0) {
                return;
            }
        }
        while (in.remaining() >= 5 && sink.wantsMore()) {
            int p = in.position();
            int len = in.getInt(p + 1);
            check(len);
            if (in.remaining() < len + 1) {
                break;
            }
            ByteBuffer body = in.slice(p + 5, len - 4);
            in.position(p + 1 + len);
            sink.message(in.get(p), body);
        }
        if (in.hasRemaining()) {
            stash(in);
        }
    }

    /** Hands out messages held back while the sink did not want more. */
    public void drain(Sink sink) {
        if (partial.position() > 0) {
            fillPartial(ByteBuffer.allocate(0), sink);
        }
    }

    private void fillPartial(ByteBuffer in, Sink sink) {
        stash(in);
        partial.flip();
        while (partial.remaining() >= 5 && sink.wantsMore()) {
            int p = partial.position();
            int len = partial.getInt(p + 1);
            check(len);
            if (partial.remaining() < len + 1) {
                break;
            }
            ByteBuffer body = partial.slice(p + 5, len - 4);
            partial.position(p + 1 + len);
            sink.message(partial.get(p), body);
        }
        partial.compact();
    }

    private void stash(ByteBuffer in) {
        if (partial.remaining() < in.remaining()) {
            int need = partial.position() + in.remaining();
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, Math.min(2 * partial.capacity() + 64, maxMessage + 5)));
            partial.flip();
            bigger.put(partial);
            partial = bigger;
        }
        partial.put(in);
    }

    private void check(int len) {
        if (len < 4 || len > maxMessage) {
            throw new IllegalStateException("backend message length " + len + " outside 4.." + maxMessage
                    + " (max-message-bytes)");
        }
    }
}
