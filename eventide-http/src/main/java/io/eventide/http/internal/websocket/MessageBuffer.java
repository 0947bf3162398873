package io.eventide.http.internal.websocket;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of the message being received, bounded by the message limit: it grows by doubling up
 * to {@code limit + 1} bytes, and reports the overflow instead of growing further. It shrinks back
 * after a large message so that an idle connection holds a small array, or none.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class MessageBuffer {
    private static final int INITIAL = 256;
    private static final int KEEP = 16 * 1024;

    private final long limit;
    private byte[] array;
    private int size;

    /** @param limit the largest message, in bytes */
    public MessageBuffer(long limit) {
        this.limit = limit;
    }

    /**
     * @param chunk bytes to append, fully consumed
     * @return false when the message would exceed the limit (nothing appended)
     */
    public boolean append(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (size + (long) n > limit) {
            return false;
        }
        grow(size + n);
        chunk.get(array, size, n);
        size += n;
        return true;
    }

    /** @return false when the buffer is at the limit and full (one byte past the limit was produced) */
    boolean ensureRoom() {
        if (size > limit) {
            return false;
        }
        if (array == null || size == array.length) {
            grow(size + 1);
        }
        return true;
    }

    private void grow(int need) {
        if (array != null && need <= array.length) {
            return;
        }
        long cap = Math.max(INITIAL, array == null ? need : (long) array.length * 2);
        cap = Math.min(Math.max(cap, need), limit + 1);
        array = array == null ? new byte[(int) cap] : Arrays.copyOf(array, (int) cap);
    }

    byte[] array() {
        return array;
    }

    int room() {
        return array.length - size;
    }

    void advance(int n) {
        size += n;
    }

    /** @return bytes held */
    public int size() {
        return size;
    }

    /** @return the array behind it, valid for {@link #size()} bytes until {@link #clear()} */
    public byte[] bytes() {
        return array == null ? new byte[0] : array;
    }

    /** Empties the buffer, dropping a large array. */
    public void clear() {
        size = 0;
        if (array != null && array.length > KEEP) {
            array = null;
        }
    }
}
