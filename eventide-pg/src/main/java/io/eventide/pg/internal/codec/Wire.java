package io.eventide.pg.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The outgoing side of the v3 protocol: a growable direct buffer that frontend messages are encoded
 * into back to back, then handed to the socket in one write per loop turn (so a pipeline of twenty
 * queries is one syscall). Messages are framed as {@code type byte, int32 length (self included),
 * body}; {@link #begin} reserves the length and {@link #end} patches it.
 *
 * <p><b>Threading:</b> not thread-safe; each connection owns one, on its loop.
 */
public final class Wire {
    private static final int INITIAL = 8 * 1024;
    /** Past this capacity the buffer is given back after a flush instead of kept. */
    private static final int KEEP_LIMIT = 256 * 1024;

    private ByteBuffer buf = ByteBuffer.allocateDirect(INITIAL);
    private int start = -1;

    /** @return whether nothing is waiting to be written */
    public boolean isEmpty() {
        return buf.position() == 0;
    }

    /** @return bytes encoded and not yet taken */
    public int size() {
        return buf.position();
    }

    /**
     * Hands the encoded bytes to {@code sink} (which must consume or copy them) and clears.
     *
     * @param sink receives the bytes in read mode
     */
    public void drainTo(java.util.function.Consumer<ByteBuffer> sink) {
        buf.flip();
        sink.accept(buf);
        if (buf.capacity() > KEEP_LIMIT) {
            buf = ByteBuffer.allocateDirect(INITIAL);
        } else {
            buf.clear();
        }
    }

    /** @param type the message type byte @return this */
    public Wire begin(char type) {
        ensure(5);
        buf.put((byte) type);
        start = buf.position();
        buf.putInt(0);
        return this;
    }

    /** Starts a message without a type byte (startup, SSL and cancel requests). @return this */
    public Wire beginUntyped() {
        ensure(4);
        start = buf.position();
        buf.putInt(0);
        return this;
    }

    /** Patches the length of the message begun last. */
    public void end() {
        buf.putInt(start, buf.position() - start);
        start = -1;
    }

    /** @param v a byte @return this */
    public Wire int8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    /** @param v a 16-bit value @return this */
    public Wire int16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    /** @param v a 32-bit value @return this */
    public Wire int32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    /** @param v a 64-bit value @return this */
    public Wire int64(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    /** @param b raw bytes @return this */
    public Wire bytes(byte[] b) {
        ensure(b.length);
        buf.put(b);
        return this;
    }

    /** @param b raw bytes (consumed) @return this */
    public Wire bytes(ByteBuffer b) {
        ensure(b.remaining());
        buf.put(b);
        return this;
    }

    /** @param s a string, written as UTF-8 followed by a NUL @return this */
    public Wire cstring(String s) {
        utf8(s);
        return int8(0);
    }

    /** @param s a string, written as UTF-8 without a terminator @return this */
    public Wire utf8(String s) {
        int n = s.length();
        ensure(n);
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            for (int i = 0; i < n; i++) {
                buf.put((byte) s.charAt(i));
            }
        } else {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** @return the position, to patch a length written later with {@link #patchInt} */
    public int mark() {
        return buf.position();
    }

    /** @param at a position from {@link #mark} @param v the value to write there */
    public void patchInt(int at, int v) {
        buf.putInt(at, v);
    }

    private void ensure(int n) {
        if (buf.remaining() >= n) {
            return;
        }
        int cap = buf.capacity();
        while (cap - buf.position() < n) {
            cap *= 2;
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(cap);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }
}
