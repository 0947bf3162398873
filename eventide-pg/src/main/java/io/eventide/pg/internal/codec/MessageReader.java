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
    /**
     * Receives one backend message. {@code body} is valid only during the call: it is the read
     * buffer itself, positioned at the body and limited to it.
     */
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
        handOut(in, sink);
        if (in.hasRemaining()) {
            stash(in);
        }
    }

    /**
     * Hands out the whole messages at the start of {@code buf}: the body is {@code buf} itself,
     * positioned at the body and limited to it (no slice allocated per message); afterwards the
     * limit is restored and the position moved past the message.
     */
    private void handOut(ByteBuffer buf, Sink sink) {
        int limit = buf.limit();
        while (limit - buf.position() >= 5 && sink.wantsMore()) {
            int p = buf.position();
            int len = buf.getInt(p + 1);
            check(len);
            int end = p + 1 + len;
            if (end > limit) {
                break;
            }
            byte type = buf.get(p);
            buf.limit(end).position(p + 5);
            try {
                sink.message(type, buf);
            } finally {
                buf.limit(limit).position(end);
            }
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
        handOut(partial, sink);
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
