package io.eventide.http.internal.websocket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Incremental WebSocket frame parser (RFC 6455 §5.2), fed whatever a read produced: headers split
 * anywhere are collected in a 14-byte array, payloads are handed on as they arrive, unmasked in
 * place, without buffering. The same decoder serves both roles: a server requires masked frames and
 * a client refuses them (§5.1), both with close code 1002.
 *
 * <pre>
 *   HEADER (2..14 bytes, may span reads) ──► frameStart(opcode, fin, rsv1, length)
 *   PAYLOAD (length bytes, any number of reads) ──► framePayload(chunk) ... ──► frameEnd()
 * </pre>
 *
 * Frame-level rules are checked here, as soon as the first two bytes are in: reserved bits without
 * a negotiated extension, unknown opcodes, fragmented or oversized control frames, the mask bit,
 * and 64-bit lengths with the top bit set. Message-level rules (continuations, sizes, UTF-8) are
 * the {@link Listener}'s. The first non-zero result stops the decoder for good.
 *
 * <p>The payload is unmasked in the buffer it was fed: that buffer is the loop's read buffer (or a
 * replay of it), valid only during the call and not looked at again by anyone else.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class FrameDecoder {
    /** Listener result: go on. */
    public static final int OK = 0;
    /** Listener result: stop decoding without error (a close frame was received). */
    public static final int STOP = -1;

    /** Receives frames as they are parsed. Each method returns {@link #OK}, {@link #STOP} or a close code. */
    public interface Listener {
        /**
         * @param opcode the frame's opcode
         * @param fin whether this is the final fragment
         * @param rsv1 the per-message-compressed bit
         * @param length payload length
         * @return {@link #OK}, {@link #STOP} or a close code
         */
        int frameStart(int opcode, boolean fin, boolean rsv1, long length);

        /**
         * @param chunk unmasked payload bytes, valid only during the call
         * @return {@link #OK}, {@link #STOP} or a close code
         */
        int framePayload(ByteBuffer chunk);

        /** @return {@link #OK}, {@link #STOP} or a close code */
        int frameEnd();
    }

    private final boolean expectMasked;
    private final boolean rsv1Allowed;
    private Listener listener;
    private final byte[] head = new byte[14];
    private int headLen;
    private int headNeed = 2;
    private boolean inPayload;
    private long remaining;
    private final byte[] mask = new byte[4];
    private boolean masked;
    private int maskPos;
    private int result;
    private String reason;

    /**
     * @param expectMasked true on a server (clients must mask), false on a client (servers must not)
     * @param rsv1Allowed whether permessage-deflate was negotiated
     * @param listener receives the frames
     */
    public FrameDecoder(boolean expectMasked, boolean rsv1Allowed, Listener listener) {
        this.expectMasked = expectMasked;
        this.rsv1Allowed = rsv1Allowed;
        this.listener = listener;
    }

    /**
     * Parses everything in {@code in} (its position ends at its limit).
     *
     * @param in bytes read; payload bytes are unmasked in place
     * @return {@link #OK}, {@link #STOP} or the close code of a protocol error (sticky)
     */
    public int decode(ByteBuffer in) {
        while (result == OK && in.hasRemaining()) {
            int r = inPayload ? payload(in) : header(in);
            if (result == OK) {
                result = r; // unless the listener called stop() meanwhile
            }
        }
        if (result <= OK) {
            in.position(in.limit());
        } // else: a close code; what follows is left for drainWith
        return result;
    }

    /**
     * Goes on parsing frames with {@code next} after the listener failed a message (too big, bad
     * UTF-8, ...): the frame stream itself is intact, so the peer's close frame can still be found
     * while the rest of its message is dropped. Not after a framing error ({@link #reason()} set):
     * then nothing that follows can be parsed.
     *
     * @param next receives the frames from here on
     */
    public void drainWith(Listener next) {
        if (reason != null) {
            throw new IllegalStateException("the frame stream is broken (" + reason + "): nothing to drain");
        }
        listener = next;
        result = OK;
    }

    /** Stops decoding for good: what follows is discarded (after a close, or a failure). */
    public void stop() {
        if (result == OK) {
            result = STOP;
        }
    }

    /** @return why decoding stopped with a close code, when the decoder itself found it, else null */
    public String reason() {
        return reason;
    }

    private int header(ByteBuffer in) {
        while (headLen < headNeed && in.hasRemaining()) {
            head[headLen++] = in.get();
            if (headLen == 2) {
                int r = checkFirstTwo();
                if (r != OK) {
                    return r;
                }
            }
        }
        if (headLen < headNeed) {
            return OK;
        }
        return headerComplete();
    }

    /** Validates byte 0 and 1 and works out how long the header is. */
    private int checkFirstTwo() {
        int b0 = head[0] & 0xff;
        int b1 = head[1] & 0xff;
        int opcode = b0 & 0x0f;
        boolean rsv1 = (b0 & 0x40) != 0;
        int len7 = b1 & 0x7f;
        if ((b0 & 0x30) != 0) {
            return fail("reserved bits RSV2/RSV3 set without an extension defining them");
        }
        if (!Frames.isKnown(opcode)) {
            return fail("unknown opcode " + opcode);
        }
        if (rsv1 && (!rsv1Allowed || opcode == Frames.CONTINUATION || Frames.isControl(opcode))) {
            // RFC 7692 §6: RSV1 only on the first frame of a compressed data message.
            return fail("RSV1 set " + (rsv1Allowed ? "on a continuation or control frame" : "without permessage-deflate"));
        }
        if (Frames.isControl(opcode) && ((b0 & 0x80) == 0 || len7 > Frames.MAX_CONTROL_PAYLOAD)) {
            return fail("control frames must not be fragmented or longer than 125 bytes");
        }
        masked = (b1 & 0x80) != 0;
        if (masked != expectMasked) {
            return fail(expectMasked ? "client frames must be masked" : "server frames must not be masked");
        }
        headNeed = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        return OK;
    }

    private int headerComplete() {
        int len7 = head[1] & 0x7f;
        long length = len7;
        int p = 2;
        if (len7 == 126) {
            length = ((head[2] & 0xffL) << 8) | (head[3] & 0xffL);
            p = 4;
        } else if (len7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (head[i] & 0xffL);
            }
            if (length < 0) {
                return fail("64-bit payload length with the most significant bit set");
            }
            p = 10;
        }
        if (masked) {
            System.arraycopy(head, p, mask, 0, 4);
        }
        maskPos = 0;
        remaining = length;
        int b0 = head[0] & 0xff;
        headLen = 0;
        headNeed = 2;
        // The payload state is set before the listener runs: if it refuses the frame, a drain
        // (drainWith) goes on from exactly here.
        inPayload = length > 0;
        int r = listener.frameStart(b0 & 0x0f, (b0 & 0x80) != 0, (b0 & 0x40) != 0, length);
        if (r != OK) {
            return r;
        }
        return length == 0 ? listener.frameEnd() : OK;
    }

    private int payload(ByteBuffer in) {
        int start = in.position();
        int n = (int) Math.min(remaining, in.remaining());
        if (masked) {
            unmask(in, start, n);
        }
        int limit = in.limit();
        in.limit(start + n);
        int r = listener.framePayload(in);
        in.limit(limit).position(start + n);
        remaining -= n;
        if (r != OK) {
            return r;
        }
        if (remaining == 0) {
            inPayload = false;
            return listener.frameEnd();
        }
        return OK;
    }

    /** XORs {@code b[start, start+n)} with the mask, eight bytes at a time where it can. */
    private void unmask(ByteBuffer b, int start, int n) {
        int i = start;
        int end = start + n;
        while (i < end && ((maskPos & 3) != 0)) {
            b.put(i, (byte) (b.get(i) ^ mask[maskPos & 3]));
            i++;
            maskPos++;
        }
        if (end - i >= 8) {
            long m = maskLong(b.order());
            for (; end - i >= 8; i += 8) {
                b.putLong(i, b.getLong(i) ^ m);
            }
        }
        for (; i < end; i++, maskPos++) {
            b.put(i, (byte) (b.get(i) ^ mask[maskPos & 3]));
        }
    }

    private long maskLong(ByteOrder order) {
        long m = 0;
        for (int k = 0; k < 8; k++) {
            int shift = order == ByteOrder.BIG_ENDIAN ? (7 - k) * 8 : k * 8;
            m |= (mask[k & 3] & 0xffL) << shift;
        }
        return m;
    }

    private int fail(String why) {
        reason = why;
        return 1002;
    }
}
