package io.eventide.http.internal.websocket;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * The sending half of permessage-deflate (RFC 7692 §7.2.1): raw deflate with a sync flush at the
 * end of each message, whose trailing empty stored block {@code 00 00 ff ff} is stripped (the
 * receiver appends it again). Without context takeover the deflater is reset after each message,
 * so the peer need not keep our window.
 *
 * <p>{@code java.util.zip} always uses a 32 KiB window (15 bits): offers asking us to compress with
 * a smaller window are declined during negotiation rather than honoured badly.
 *
 * <p><b>Threading:</b> loop-confined; {@link #end()} releases the native memory.
 */
public final class MessageDeflater {
    private final Deflater deflater;
    private final boolean noContextTakeover;
    private byte[] buf = new byte[1024];

    /**
     * @param level compression level, 0..9 or -1 for zlib's default
     * @param noContextTakeover whether to reset after every message
     */
    public MessageDeflater(int level, boolean noContextTakeover) {
        this.deflater = new Deflater(level, true);
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * @param src message bytes
     * @param off first byte
     * @param len how many
     * @return the compressed payload, tail stripped
     */
    public byte[] compress(byte[] src, int off, int len) {
        deflater.setInput(src, off, len);
        int pos = 0;
        while (true) {
            int n = deflater.deflate(buf, pos, buf.length - pos, Deflater.SYNC_FLUSH);
            pos += n;
            if (pos < buf.length) {
                break; // SYNC_FLUSH filled less than the room: everything is out
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        if (noContextTakeover) {
            deflater.reset();
        }
        if (pos < 4) {
            // Nothing new to flush (an empty message after an earlier flush): zlib emits nothing, and
            // an empty payload would leave the peer's inflater mid-block once it appends the tail.
            // RFC 7692 §7.2.3.6: a lone 0x00 is the empty message.
            return new byte[] {0};
        }
        // A sync flush ends with an empty stored block, 00 00 ff ff, which the receiver appends
        // again (RFC 7692 §7.2.1).
        return Arrays.copyOf(buf, pos - 4);
    }

    /** Releases the deflater's native memory. */
    public void end() {
        deflater.end();
    }
}
