package io.eventide.core.net;

import io.eventide.core.BufferPool;
import io.eventide.core.EventideException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;

/**
 * What a {@link Connection} could not write yet, in order: copies in pooled direct buffers, views
 * of shared buffers (never copied, never released), and file regions. {@link #flush} hands it to a
 * {@link Sink} (the socket, or the TLS layer in front of it) with gathering writes until the sink
 * stops taking bytes.
 *
 * <p>Accounting: {@link #bytes()} counts buffered bytes plus, for each file region, at most the high
 * watermark (a 1 GiB file must not look like 1 GiB of memory to backpressure, but must still hold a
 * producer back while it is being sent).
 *
 * <p><b>Threading:</b> loop-confined, like its connection.
 */
final class WriteQueue {
    private static final int GATHER = 16;

    /** Where queued bytes go: the socket, or the TLS layer. */
    interface Sink {
        /** @return bytes taken from {@code srcs} (their positions advanced), 0 when full */
        long write(ByteBuffer[] srcs, int length) throws IOException;

        /** @return bytes of the file taken, 0 when full */
        long transfer(FileChannel file, long position, long count) throws IOException;
    }

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final BufferPool pool;
    private final long fileCharge;
    private final ByteBuffer[] gather = new ByteBuffer[GATHER];
    private long bytes;
    private long peak;

    /**
     * @param pool the loop's pool, for copies
     * @param fileCharge what a queued file region counts for, at most (the high watermark)
     */
    WriteQueue(BufferPool pool, long fileCharge) {
        this.pool = pool;
        this.fileCharge = fileCharge;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    long peak() {
        return peak;
    }

    /** Copies what remains of {@code src} into pooled buffers, filling the last one first. */
    void copy(ByteBuffer src) {
        while (src.hasRemaining()) {
            ByteBuffer tail = queue.peekLast() instanceof ByteBuffer b && b.limit() < b.capacity() ? b : null;
            if (tail == null) {
                tail = pool.acquire().flip(); // empty, in read mode
                queue.addLast(tail);
            }
            int pos = tail.position();
            tail.position(tail.limit()).limit(tail.capacity());
            int n = Math.min(tail.remaining(), src.remaining());
            tail.put(tail.position(), src, src.position(), n);
            src.position(src.position() + n);
            tail.limit(tail.position() + n).position(pos);
            charge(n);
        }
    }

    /** Queues a view of a buffer its owner will never modify again. */
    void share(ByteBuffer view) {
        queue.addLast(new Shared(view));
        charge(view.remaining());
    }

    void file(FileRegion region) {
        queue.addLast(region);
        charge(Math.min(region.remaining(), fileCharge));
    }

    private void charge(long n) {
        bytes += n;
        if (bytes > peak) {
            peak = bytes;
        }
    }

    /**
     * Writes as much as {@code sink} takes, up to {@code budget} bytes: a fast reader must not keep
     * one connection's flush (a file, encrypted 16 KiB at a time under TLS) on the loop while the
     * others wait. The rest goes on the next writable event, which comes at once.
     *
     * @param sink the socket or the TLS layer
     * @param onFileSent told when a file region was fully taken (so its callback can run)
     * @param budget stop once this many bytes were taken
     * @return bytes taken
     * @throws IOException from the sink; a failing file region has been told and removed
     */
    long flush(Sink sink, java.util.function.Consumer<FileRegion> onFileSent, long budget) throws IOException {
        long total = 0;
        while (!queue.isEmpty() && total < budget) {
            long n;
            if (queue.peekFirst() instanceof FileRegion fr) {
                n = flushFile(sink, fr);
                if (fr.remaining() == 0) {
                    queue.pollFirst();
                    onFileSent.accept(fr);
                }
            } else {
                n = flushBuffers(sink);
            }
            total += n;
            if (n == 0) {
                break;
            }
        }
        return total;
    }

    private long flushBuffers(Sink sink) throws IOException {
        int k = 0;
        for (Object o : queue) {
            if (k == GATHER || o instanceof FileRegion) {
                break;
            }
            gather[k++] = o instanceof Shared s ? s.view() : (ByteBuffer) o;
        }
        long n = sink.write(gather, k);
        bytes -= n;
        for (int i = 0; i < k; i++) {
            ByteBuffer b = gather[i];
            gather[i] = null;
            if (!b.hasRemaining()) {
                if (queue.pollFirst() instanceof ByteBuffer pooled) {
                    pool.release(pooled);
                }
            }
        }
        return n;
    }

    private long flushFile(Sink sink, FileRegion fr) throws IOException {
        long before = Math.min(fr.remaining(), fileCharge);
        long n;
        try {
            n = sink.transfer(fr.file(), fr.position(), fr.remaining());
            if (n == 0 && fr.position() >= fr.file().size()) {
                throw new EOFException("file ended " + fr.remaining() + " bytes before the region did");
            }
        } catch (IOException e) {
            queue.pollFirst();
            bytes -= before;
            fr.onSent().accept(e);
            throw e;
        }
        fr.advance(n);
        bytes -= before - Math.min(fr.remaining(), fileCharge);
        return n;
    }

    /** Drops everything: releases pooled buffers, tells file regions they will not be sent. */
    void release(Throwable cause) {
        Object o;
        while ((o = queue.pollFirst()) != null) {
            if (o instanceof ByteBuffer pooled) {
                pool.release(pooled);
            } else if (o instanceof FileRegion fr) {
                fr.onSent().accept(cause != null ? cause : new EventideException("connection closed before the file was sent"));
            }
        }
        bytes = 0;
    }

    /** A queued buffer owned by the caller (not pooled: never released). */
    private record Shared(ByteBuffer view) {
    }
}
