package io.eventide.http.internal.websocket;

import java.nio.ByteBuffer;

/**
 * Incremental UTF-8 validation with Bjoern Hoehrmann's DFA ("Flexible and Economical UTF-8
 * Decoder"): one table lookup per byte, no decoding, state carried across calls so a text message
 * split over frames and reads is checked as it arrives. RFC 6455 §8.1 requires invalid UTF-8 to
 * fail the connection (1007); checking every fragment as it comes lets us fail fast instead of
 * buffering a bad message up to the size limit. Overlong forms, surrogates (U+D800..U+DFFF) and code
 * points above U+10FFFF are rejected, as RFC 3629 requires.
 *
 * <p><b>Threading:</b> loop-confined (one per message stream); not shared.
 */
public final class Utf8Validator {
    /** Between code points: everything so far was valid and complete. */
    static final int ACCEPT = 0;
    /** A byte sequence that can never become valid. Sticky until {@link #reset()}. */
    static final int REJECT = 12;

    // 256 byte classes, then the transition table indexed by state + class (states are multiples
    // of 12). Copied from Hoehrmann's published table.
    private static final byte[] DFA = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
        7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        8, 8, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        10, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 3, 11, 6, 6, 6, 5, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
        0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
        12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
        12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    };

    private int state = ACCEPT;

    /**
     * @param b bytes from position to limit; the position is not moved
     * @return false once the bytes seen so far can never be valid UTF-8
     */
    public boolean update(ByteBuffer b) {
        int s = state;
        int i = b.position();
        int end = b.limit();
        // ASCII fast path: while between code points, skip bytes below 0x80 eight at a time.
        while (s == ACCEPT && end - i >= 8 && (b.getLong(i) & 0x8080808080808080L) == 0) {
            i += 8;
        }
        for (; i < end && s != REJECT; i++) {
            s = DFA[256 + s + DFA[b.get(i) & 0xff]];
        }
        state = s;
        return s != REJECT;
    }

    /**
     * @param a bytes
     * @param off first byte
     * @param len how many
     * @return false once the bytes seen so far can never be valid UTF-8
     */
    public boolean update(byte[] a, int off, int len) {
        int s = state;
        int end = off + len;
        for (int i = off; i < end && s != REJECT; i++) {
            s = DFA[256 + s + DFA[a[i] & 0xff]];
        }
        state = s;
        return s != REJECT;
    }

    /** @return whether everything seen so far is valid and ends on a code point boundary */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Starts over for the next message. */
    public void reset() {
        state = ACCEPT;
    }

    /**
     * @param a bytes
     * @param off first byte
     * @param len how many
     * @return whether {@code a[off, off+len)} is complete, valid UTF-8
     */
    public static boolean isValid(byte[] a, int off, int len) {
        Utf8Validator v = new Utf8Validator();
        return v.update(a, off, len) && v.isComplete();
    }
}
