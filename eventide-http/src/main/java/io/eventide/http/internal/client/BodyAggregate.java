package io.eventide.http.internal.client;

import io.eventide.core.Promise;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of {@code ClientResponse.body()} so far, in one array sized from the
 * {@code Content-Length} when there is one and otherwise grown by doubling, never past the limit.
 *
 * <p><b>Threading:</b> loop-confined, owned by its response.
 */
final class BodyAggregate {
    /** Arrays cannot be longer; a limit above it is capped here. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Promise<byte[]> promise;
    private final long max;
    private byte[] buf;
    private int length;

    BodyAggregate(Promise<byte[]> promise, long max, long contentLength) {
        this.promise = promise;
        this.max = max;
        long initial = contentLength >= 0 ? contentLength : Math.min(max, 8192);
        this.buf = new byte[(int) Math.min(initial, MAX_ARRAY)];
    }

    /** {@return false if {@code data} would take the body past the limit; nothing is taken then} */
    boolean add(ByteBuffer data) {
        int n = data.remaining();
        if (length + (long) n > Math.min(max, MAX_ARRAY)) {
            return false;
        }
        if (length + n > buf.length) {
            long grown = Math.max(length + (long) n, Math.min(buf.length * 2L, max));
            buf = Arrays.copyOf(buf, (int) Math.min(grown, MAX_ARRAY));
        }
        data.get(buf, length, n);
        length += n;
        return true;
    }

    /** {@return the body, in an array of exactly its length} */
    byte[] bytes() {
        return length == buf.length ? buf : Arrays.copyOf(buf, length);
    }

    Promise<byte[]> promise() {
        return promise;
    }

    long max() {
        return max;
    }
}
