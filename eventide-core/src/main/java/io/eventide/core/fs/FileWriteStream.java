package io.eventide.core.fs;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.fs.internal.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A file as a sink of bytes: Node's {@code fs.createWriteStream}. {@link #write} copies into the
 * loop's pooled buffers and returns at once; the {@link FilePool} writes them out in order, one
 * batch at a time. Past {@value #HIGH_WATERMARK} queued bytes {@code write} returns false, and
 * {@link #onDrain} runs once the queue is down to {@value #LOW_WATERMARK}: a fast producer (a
 * request body) is paused instead of filling the heap.
 *
 * <pre>
 *   write(buf) ──copy──► pooled chunks ──eventide-fs-N: gathering write──► file
 *      false past the high watermark            onDrain at the low watermark
 * </pre>
 *
 * <p>{@link #end()} flushes, closes the file and settles {@link #finished()} with the byte count.
 * If a write fails (disk full: {@link FsException.Code#ENOSPC}) the queued bytes are dropped, the
 * file is closed, {@link #finished()} is rejected, and {@link #onClose} and {@link #onError} hear
 * of it; later writes are ignored and return false.
 *
 * {@snippet :
 * FileWriteStream out = fs.writeStream(target);
 * HttpStreams.pipe(req, out).onSuccess(n -> res.end("stored " + n + " bytes"));
 * }
 *
 * <p><b>Threading:</b> loop-confined to the loop of the {@link FileSystem} that made it (checked);
 * callbacks run there.
 */
public final class FileWriteStream implements ByteSink {
    /** Queued bytes past which {@link #write} returns false. */
    public static final int HIGH_WATERMARK = 256 * 1024;
    /** Queued bytes at which {@link #onDrain} runs after a false {@link #write}. */
    public static final int LOW_WATERMARK = 64 * 1024;
    private static final int MAX_BATCH = 16;

    private final FileSystem fs;
    private final EventLoop loop;
    private final Path path;
    private final Set<OpenOption> options;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>(); // each in write mode (filling)
    private final Promise<Long> finished;
    private FileChannel channel;
    private long queued;
    private long written;
    private boolean inFlight;
    private boolean needDrain;
    private boolean ending;
    private boolean closed;
    private Runnable onDrain = () -> { };
    private Consumer<Throwable> onClose = c -> { };
    private Consumer<Throwable> onError;

    FileWriteStream(FileSystem fs, Path path, Set<OpenOption> options) {
        this.fs = fs;
        this.loop = fs.loop();
        this.path = path;
        Set<OpenOption> o = new HashSet<>(options);
        o.add(StandardOpenOption.WRITE);
        this.options = Set.copyOf(o);
        this.finished = loop.promise();
    }

    @Override
    public boolean write(ByteBuffer src) {
        check();
        if (ending) {
            throw new IllegalStateException("write after end on " + this);
        }
        if (closed) {
            src.position(src.limit());
            return false;
        }
        BufferPool pool = loop.buffers();
        while (src.hasRemaining()) {
            ByteBuffer tail = pending.peekLast();
            if (tail == null || !tail.hasRemaining()) {
                tail = pool.acquire();
                pending.addLast(tail);
            }
            int n = Math.min(tail.remaining(), src.remaining());
            tail.put(tail.position(), src, src.position(), n);
            tail.position(tail.position() + n);
            src.position(src.position() + n);
            queued += n;
        }
        kick();
        if (queued >= HIGH_WATERMARK) {
            needDrain = true;
            return false;
        }
        return true;
    }

    @Override
    public void onDrain(Runnable handler) {
        check();
        onDrain = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void onClose(Consumer<Throwable> handler) {
        check();
        onClose = Objects.requireNonNull(handler, "handler");
    }

    /** @param handler receives a write failure (also reported by {@link #finished()}) */
    public void onError(Consumer<Throwable> handler) {
        check();
        onError = handler;
    }

    /** Flushes what is queued, then closes the file; {@link #finished()} settles after. Idempotent. */
    @Override
    public void end() {
        check();
        if (ending || closed) {
            return;
        }
        ending = true;
        kick();
    }

    /** Drops what is queued and closes the file (its content so far stays); {@link #finished()} fails. */
    @Override
    public void destroy() {
        check();
        if (!closed) {
            fail(new FsException(FsException.Code.ECLOSED, path, "write stream to " + path + " destroyed after "
                    + written + " bytes", null));
        }
    }

    /** @return bytes written to the file so far, once settled: the file's whole new content */
    public Promise<Long> finished() {
        return finished;
    }

    /** @return bytes accepted by {@link #write} and not yet in the file */
    public long queuedBytes() {
        return queued;
    }

    /** @return bytes written to the file so far */
    public long bytesWritten() {
        return written;
    }

    /** @return the file */
    public Path path() {
        return path;
    }

    private void check() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("FileWriteStream of " + path + " must be used on " + loop.name()
                    + ", not on " + Thread.currentThread().getName());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Flushing: one pool call at a time, in order.

    private void kick() {
        if (inFlight || closed) {
            return;
        }
        if (pending.isEmpty()) {
            if (ending) {
                closeFile();
            }
            return;
        }
        // Buffers leave 'pending' here, so write() never appends to one a pool thread is reading.
        int n = Math.min(MAX_BATCH, pending.size());
        ByteBuffer[] batch = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            batch[i] = pending.poll().flip();
        }
        inFlight = true;
        fs.call("write", path, () -> writeBatch(batch)).whenComplete((got, err) -> afterWrite(batch, got, err));
    }

    private long writeBatch(ByteBuffer[] batch) throws IOException {
        FileChannel ch = channel;
        if (ch == null) {
            ch = FileChannel.open(path, options);
            channel = ch;
        }
        long total = 0;
        while (batch[batch.length - 1].hasRemaining()) {
            total += ch.write(batch);
        }
        return total;
    }

    private void afterWrite(ByteBuffer[] batch, Long got, Throwable err) {
        inFlight = false;
        for (ByteBuffer b : batch) {
            loop.buffers().release(b);
        }
        if (closed) {
            closeChannelQuietly(); // destroyed while this batch was being written
            return;
        }
        if (err != null) {
            fail(err);
            return;
        }
        written += got;
        queued -= got;
        if (needDrain && queued <= LOW_WATERMARK) {
            needDrain = false;
            try {
                onDrain.run();
            } catch (Throwable t) {
                loop.reportUncaught(t);
            }
        }
        kick();
    }

    private void closeFile() {
        closed = true;
        FileChannel ch = channel;
        channel = null;
        fs.call("close", path, () -> {
            if (ch != null) {
                ch.close();
            } else {
                FileChannel.open(path, options).close(); // nothing was written: the file must still exist
            }
            return null;
        }).whenComplete((v, err) -> {
            if (err != null) {
                // close() reports deferred write errors (NFS, quotas): the data is not safe.
                fail(err);
            } else {
                finished.resolve(written);
            }
        });
    }

    private void fail(Throwable t) {
        Throwable e = t instanceof IOException ? Errors.map("write", path, t) : t;
        closed = true;
        ByteBuffer b;
        while ((b = pending.poll()) != null) {
            loop.buffers().release(b);
        }
        queued = 0;
        if (!inFlight) {
            closeChannelQuietly();
        }
        if (finished.reject(e)) {
            if (onError != null) {
                onError.accept(e);
            }
            onClose.accept(e);
        }
    }

    private void closeChannelQuietly() {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            fs.call("close", path, () -> {
                ch.close();
                return null;
            }).onFailure(x -> { /* the stream already failed; its first error is the one reported */ });
        }
    }

    @Override
    public String toString() {
        return "FileWriteStream[" + path + ", written " + written + ", queued " + queued + "]";
    }
}
