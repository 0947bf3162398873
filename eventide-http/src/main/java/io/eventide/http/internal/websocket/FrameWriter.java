package io.eventide.http.internal.websocket;

import io.eventide.core.net.Connection;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * Encodes outgoing messages onto a connection: compresses them when permessage-deflate was agreed
 * and they are big enough, masks them when we are the client (RFC 6455 §5.3), and writes header
 * plus payload with one {@link Connection#write} through a per-loop scratch buffer, so a small
 * message costs one syscall and no allocation beyond its bytes.
 *
 * <p>Masking keys come from {@link SecureRandom}, as §10.3 requires them unpredictable, drawn 256
 * bytes at a time into a per-thread pool (Node's {@code ws} does the same) instead of one call per
 * frame.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class FrameWriter {
    private static final int SCRATCH = 16 * 1024;
    private static final ThreadLocal<ByteBuffer> SCRATCH_BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SCRATCH));
    private static final ThreadLocal<MaskPool> MASKS = ThreadLocal.withInitial(MaskPool::new);

    private final Connection conn;
    private final boolean mask;
    private final MessageDeflater deflater;
    private final int threshold;

    /**
     * @param conn the connection
     * @param mask whether we are the client
     * @param deflater the compressor, or null without permessage-deflate
     * @param threshold smaller messages are not compressed
     */
    public FrameWriter(Connection conn, boolean mask, MessageDeflater deflater, int threshold) {
        this.conn = conn;
        this.mask = mask;
        this.deflater = deflater;
        this.threshold = threshold;
    }

    /**
     * @param opcode TEXT or BINARY
     * @param a message bytes
     * @param off first byte
     * @param len how many
     * @return what {@link Connection#write} returned
     */
    public boolean data(int opcode, byte[] a, int off, int len) {
        if (deflater != null && len >= threshold) {
            byte[] z = deflater.compress(a, off, len);
            return frame(opcode, true, z, 0, z.length);
        }
        return frame(opcode, false, a, off, len);
    }

    /**
     * @param opcode CLOSE, PING or PONG
     * @param payload at most 125 bytes
     * @return what {@link Connection#write} returned
     */
    public boolean control(int opcode, byte[] payload) {
        return frame(opcode, false, payload, 0, payload.length);
    }

    private boolean frame(int opcode, boolean rsv1, byte[] a, int off, int len) {
        if (conn.isEnding()) {
            return false; // the peer's FIN ended our side too: nothing can be sent any more
        }
        byte[] key = mask ? MASKS.get().next() : null;
        int size = FrameEncoder.headerSize(len, mask) + len;
        ByteBuffer out = size <= SCRATCH ? SCRATCH_BUFFERS.get().clear() : ByteBuffer.allocate(size);
        FrameEncoder.putHeader(out, opcode, true, rsv1, len, key);
        FrameEncoder.putPayload(out, a, off, len, key);
        out.flip();
        boolean ok = conn.write(out); // copies what the socket does not take: the scratch is reusable
        out.clear();
        return ok;
    }

    /** Releases the compressor's native memory. */
    public void release() {
        if (deflater != null) {
            deflater.end();
        }
    }

    /**
     * @return a fresh random 16-byte {@code Sec-WebSocket-Key} nonce (RFC 6455 §4.1), from the same
     *     pool as masking keys
     */
    public static byte[] nonce() {
        byte[] k = new byte[16];
        MaskPool pool = MASKS.get();
        for (int i = 0; i < 16; i += 4) {
            System.arraycopy(pool.next(), 0, k, i, 4);
        }
        return k;
    }

    /** 256 random bytes at a time, handed out four by four. */
    private static final class MaskPool {
        private static final SecureRandom RANDOM = new SecureRandom();
        private final byte[] pool = new byte[256];
        private final byte[] key = new byte[4];
        private int pos = pool.length;

        byte[] next() {
            if (pos == pool.length) {
                RANDOM.nextBytes(pool);
                pos = 0;
            }
            System.arraycopy(pool, pos, key, 0, 4);
            pos += 4;
            return key;
        }
    }
}
