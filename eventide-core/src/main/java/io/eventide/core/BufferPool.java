package io.eventide.core;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-loop pool of fixed-size direct buffers used for write queues and protocol scratch space.
 * Buffers are recycled through a bounded free list so a busy loop allocates nothing in steady state,
 * and every buffer handed out is counted until it is released, so tests can prove that closing a
 * connection, a server or a whole {@link LoopGroup} leaves no buffer behind.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>knob</th><th>default</th></tr>
 *   <tr><td>chunk size</td><td>{@value #DEFAULT_CHUNK_SIZE} bytes</td></tr>
 *   <tr><td>free-list size</td><td>{@value #DEFAULT_MAX_POOLED} chunks per loop</td></tr>
 *   <tr><td>large chunk size (TLS)</td><td>{@value #LARGE_CHUNK_SIZE} bytes</td></tr>
 *   <tr><td>large free-list size</td><td>{@value #LARGE_MAX_POOLED} chunks per loop</td></tr>
 * </table>
 *
 * <p>A buffer still out when its loop terminates can never come back: it is counted as leaked in
 * the process-wide {@link #leakedTotal()}, which every test of every module checks
 * ({@code BufferLeakCheck}) and the host exports as {@code eventide_buffers_leaked_total}.
 *
 * <p><b>Threading:</b> loop-confined: acquire and release only on the owning loop. The static
 * {@link #outstandingTotal()}, {@link #leakedTotal()} and {@link #lastLeak()} may be read from
 * any thread.
 */
public final class BufferPool {
    /** Size of every pooled buffer. */
    public static final int DEFAULT_CHUNK_SIZE = 16 * 1024;
    /** How many free buffers a loop keeps for reuse. */
    public static final int DEFAULT_MAX_POOLED = 256;
    /** Size of the buffers of a loop's large pool (TLS records: wrap and unwrap). */
    public static final int LARGE_CHUNK_SIZE = 64 * 1024;
    /** How many free large buffers a loop keeps for reuse. */
    public static final int LARGE_MAX_POOLED = 32;

    private static final AtomicLong OUTSTANDING_TOTAL = new AtomicLong();
    private static final AtomicLong LEAKED_TOTAL = new AtomicLong();
    private static volatile String lastLeak;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final int chunkSize;
    private final int maxPooled;
    private long outstanding;
    private long allocations;

    BufferPool(int chunkSize, int maxPooled) {
        this.chunkSize = chunkSize;
        this.maxPooled = maxPooled;
    }

    /** @return a cleared direct buffer of {@link #chunkSize()} bytes; release it when done */
    public ByteBuffer acquire() {
        ByteBuffer b = free.pollLast();
        if (b == null) {
            b = ByteBuffer.allocateDirect(chunkSize);
            allocations++;
        }
        outstanding++;
        OUTSTANDING_TOTAL.incrementAndGet();
        return b;
    }

    /**
     * Returns a buffer obtained from {@link #acquire()}. Releasing twice corrupts the count: callers
     * null their reference right after.
     *
     * @param b the buffer
     */
    public void release(ByteBuffer b) {
        outstanding--;
        OUTSTANDING_TOTAL.decrementAndGet();
        if (free.size() < maxPooled) {
            b.clear();
            free.addLast(b);
        }
    }

    /** @return the size of each buffer */
    public int chunkSize() {
        return chunkSize;
    }

    /** @return buffers acquired and not yet released from this pool */
    public long outstanding() {
        return outstanding;
    }

    /** @return how many direct buffers this pool ever allocated */
    public long allocations() {
        return allocations;
    }

    /** @return buffers acquired and not released across every pool of the process (any thread) */
    public static long outstandingTotal() {
        return OUTSTANDING_TOTAL.get();
    }

    /**
     * @return buffers that were still out when their loop terminated, across the process since it
     *     started (any thread): 0 unless something forgot to release one
     */
    public static long leakedTotal() {
        return LEAKED_TOTAL.get();
    }

    /** @return which loop leaked last and how many buffers, or null if none did (any thread) */
    public static String lastLeak() {
        return lastLeak;
    }

    /** Called by a terminating loop with what its pools still have out. */
    static void leaked(String loop, long count) {
        LEAKED_TOTAL.addAndGet(count);
        lastLeak = count + " pooled buffer(s) still out when " + loop + " terminated";
    }

    void dispose() {
        free.clear();
    }
}
