package io.eventide.http.internal.websocket;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of permessage-deflate (RFC 7692 §7.2.2): a raw-deflate {@link Inflater} fed
 * each compressed payload chunk as it arrives, then the {@code 00 00 ff ff} tail the sender
 * stripped. Output goes into a {@link MessageBuffer} that refuses to grow past the message limit,
 * so a small frame that would inflate to gigabytes (a zip bomb) costs at most the limit before the
 * connection is failed with 1009.
 *
 * <p>Context takeover: when the peer resets its compressor per message (the peer's
 * {@code no_context_takeover}), we reset too, which frees nothing but keeps a corrupt peer from
 * referring back into an earlier message.
 *
 * <p><b>Threading:</b> loop-confined; {@link #end()} releases the native memory.
 */
public final class MessageInflater {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private final Inflater inflater = new Inflater(true);
    private final boolean resetPerMessage;

    /** @param resetPerMessage whether the peer compresses without context takeover */
    public MessageInflater(boolean resetPerMessage) {
        this.resetPerMessage = resetPerMessage;
    }

    /**
     * @param chunk compressed bytes, fully consumed
     * @param out where inflated bytes go
     * @return {@link FrameDecoder#OK}, 1009 past the limit, or 1007 for corrupt data
     */
    public int inflate(ByteBuffer chunk, MessageBuffer out) {
        inflater.setInput(chunk);
        int r = drain(out);
        chunk.position(chunk.limit());
        return r;
    }

    /**
     * Appends the stripped tail and inflates the rest of the message.
     *
     * @param out where inflated bytes go
     * @return like {@link #inflate}
     */
    public int finish(MessageBuffer out) {
        inflater.setInput(TAIL);
        int r = drain(out);
        if (resetPerMessage || inflater.finished()) {
            inflater.reset(); // a final deflate block (BFINAL) also ends the stream: start a new one
        }
        return r;
    }

    private int drain(MessageBuffer out) {
        try {
            while (true) {
                if (!out.ensureRoom()) {
                    return 1009;
                }
                int n = inflater.inflate(out.array(), out.size(), out.room());
                out.advance(n);
                if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
                    return FrameDecoder.OK;
                }
            }
        } catch (DataFormatException e) {
            return 1007;
        }
    }

    /** Releases the inflater's native memory. */
    public void end() {
        inflater.end();
    }
}
