package io.eventide.http.internal.codec;

import java.nio.ByteBuffer;

/**
 * Cuts a {@code Content-Length} body (RFC 9112 §6.2) out of the input without copying: each call
 * returns a view of at most the bytes still owed, and leaves whatever follows (the next pipelined
 * request) in the buffer.
 *
 * <pre>
 *  decoder.reset(head.contentLength());
 *  while (!decoder.isDone()) { ByteBuffer part = decoder.decode(in); if (part == null) break; ... }
 * </pre>
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
public final class ContentLengthDecoder {
    private long remaining;

    /**
     * Starts a body of {@code length} bytes.
     *
     * @param length the {@code Content-Length}, at least 0
     */
    public void reset(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: " + length);
        }
        remaining = length;
    }

    /**
     * Takes the next body bytes from {@code in}, advancing its position past them.
     *
     * @param in bytes from the peer
     * @return a view of the body bytes taken, sharing {@code in}'s content; {@code null} if
     *     {@code in} is empty or the body is complete
     */
    public ByteBuffer decode(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        if (n == 0) {
            return null;
        }
        int position = in.position();
        in.position(position + n);
        remaining -= n;
        return in.slice(position, n);
    }

    /** {@return the body bytes not received yet} */
    public long remaining() {
        return remaining;
    }

    /** {@return whether the whole body has been received} */
    public boolean isDone() {
        return remaining == 0;
    }
}
