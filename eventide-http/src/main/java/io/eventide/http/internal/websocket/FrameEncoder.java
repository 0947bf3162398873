package io.eventide.http.internal.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes WebSocket frames (RFC 6455 §5.2): the header with the shortest length encoding §5.2
 * requires, and the payload, masked when the sender is a client (§5.3).
 *
 * <p><b>Threading:</b> pure functions; any thread.
 */
public final class FrameEncoder {
    /** Longest header: 2 + 8 (length) + 4 (mask). */
    public static final int MAX_HEADER = 14;

    private FrameEncoder() {
    }

    /**
     * @param payloadLength payload bytes
     * @param masked whether a masking key follows
     * @return the header's size
     */
    public static int headerSize(long payloadLength, boolean masked) {
        int n = payloadLength < 126 ? 2 : payloadLength <= 0xffff ? 4 : 10;
        return masked ? n + 4 : n;
    }

    /**
     * Puts a frame header at {@code dst}'s position.
     *
     * @param dst where to write (needs {@link #headerSize} bytes of room)
     * @param opcode the opcode
     * @param fin final fragment
     * @param rsv1 the compressed bit (RFC 7692)
     * @param length payload length
     * @param maskKey the masking key, or null for an unmasked (server) frame
     */
    public static void putHeader(ByteBuffer dst, int opcode, boolean fin, boolean rsv1, long length, byte[] maskKey) {
        dst.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
        int maskBit = maskKey != null ? 0x80 : 0;
        if (length < 126) {
            dst.put((byte) (maskBit | length));
        } else if (length <= 0xffff) {
            dst.put((byte) (maskBit | 126));
            dst.putShort((short) length);
        } else {
            dst.put((byte) (maskBit | 127));
            dst.putLong(length);
        }
        if (maskKey != null) {
            dst.put(maskKey, 0, 4);
        }
    }

    /**
     * Puts {@code src[off, off+len)} at {@code dst}'s position, XORed with {@code maskKey} if any.
     *
     * @param dst destination with room
     * @param src payload
     * @param off first byte
     * @param len how many
     * @param maskKey the masking key, or null
     */
    public static void putPayload(ByteBuffer dst, byte[] src, int off, int len, byte[] maskKey) {
        if (maskKey == null) {
            dst.put(src, off, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            dst.put((byte) (src[off + i] ^ maskKey[i & 3]));
        }
    }

    /**
     * Encodes a whole unmasked frame: what a server sends, and what a topic encodes once to share
     * among many connections.
     *
     * @param opcode the opcode
     * @param payload the payload
     * @param direct whether to allocate a direct buffer (written to many sockets: saves the JDK's
     *     copy into a temporary direct buffer on every write)
     * @return a read-only buffer holding the frame
     */
    public static ByteBuffer unmaskedFrame(int opcode, byte[] payload, boolean direct) {
        int size = headerSize(payload.length, false) + payload.length;
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        putHeader(b, opcode, true, false, payload.length, null);
        b.put(payload);
        return b.flip().asReadOnlyBuffer();
    }

    /**
     * @param code the close code, or -1 for an empty close payload
     * @param reason UTF-8 text, at most 123 bytes
     * @return the close frame's payload
     */
    public static byte[] closePayload(int code, String reason) {
        if (code < 0) {
            return new byte[0];
        }
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > Frames.MAX_CLOSE_REASON) {
            throw new IllegalArgumentException("close reason longer than 123 bytes in UTF-8");
        }
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }
}
