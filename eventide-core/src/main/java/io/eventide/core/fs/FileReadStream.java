package io.eventide.core.fs;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Promise;
import io.eventide.core.fs.internal.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A file as a source of bytes: Node's {@code fs.createReadStream}. Chunks are read on the
 * {@link FilePool} into the loop's pooled direct buffers and delivered on the loop through
 * {@link #onData}; a buffer is valid only during that call and goes back to the pool right after.
 *
 * <pre>
 *   file ──eventide-fs-N: read up to {@value #BATCH} chunks──► ready queue ──loop: onData(chunk)──► sink
 *        (the next batch is read while this one is delivered; at most 2 batches per stream)
 *   pause(): delivery stops, and so does reading once the ready queue is full: memory stays flat
 *   however slow the sink, and however big the file
 * </pre>
 *
 * <p>Reading starts when {@link #onData} is set (or at {@link #pipeTo}), like Node's flowing mode.
 * {@link #onEnd} runs after the last chunk; {@link #onError} with an {@link FsException} if the file
 * cannot be opened or read. Either way the file is closed.
 *
 * {@snippet :
 * fs.readStream(Path.of("big.iso")).pipeTo(ByteSink.of(conn))   // or HttpStreams.sink(res)
 *   .onSuccess(bytes -> log("sent " + bytes));
 * }
 *
 * <p><b>Threading:</b> loop-confined to the loop of the {@link FileSystem} that made it (checked);
 * all callbacks run there.
 */
public final class FileReadStream {
    /** Chunks read per pool call. */
    public static final int BATCH = 4;

    private final FileSystem fs;
    private final EventLoop loop;
    private final Path path;
    private final ArrayDeque<ByteBuffer> ready = new ArrayDeque<>();
    private FileChannel channel;
    private long position;
    private long remaining;
    private long bytesRead;
    private Consumer<ByteBuffer> onData;
    private Runnable onEnd = () -> { };
    private Consumer<Throwable> onError;
    private boolean inFlight;
    private boolean eof;
    private boolean paused;
    private boolean delivering;
    private boolean done;

    FileReadStream(FileSystem fs, Path path, long start, long length) {
        this.fs = fs;
        this.loop = fs.loop();
        this.path = path;
        this.position = start;
        this.remaining = length;
    }

    /**
     * Sets the data handler and starts reading.
     *
     * @param handler receives each chunk; valid only during the call
     * @return this stream
     */
    public FileReadStream onData(Consumer<ByteBuffer> handler) {
        check();
        boolean first = onData == null;
        onData = Objects.requireNonNull(handler, "handler");
        if (first) {
            fill();
        }
        return this;
    }

    /** @param handler runs once after the last chunk @return this stream */
    public FileReadStream onEnd(Runnable handler) {
        check();
        onEnd = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** @param handler receives the failure; without one it goes to the loop's uncaught sink @return this */
    public FileReadStream onError(Consumer<Throwable> handler) {
        check();
        onError = handler;
        return this;
    }

    /** Stops delivering chunks (and, once a batch is buffered, reading) until {@link #resume()}. */
    public void pause() {
        check();
        paused = true;
    }

    /** Delivers buffered chunks and reads on. */
    public void resume() {
        check();
        if (paused) {
            paused = false;
            deliver();
        }
    }

    /** @return whether paused */
    public boolean isPaused() {
        return paused;
    }

    /** @return bytes delivered so far */
    public long bytesRead() {
        return bytesRead;
    }

    /** @return the file */
    public Path path() {
        return path;
    }

    /** Stops at once, releases the buffers and closes the file; no more callbacks. */
    public void destroy() {
        check();
        if (!done) {
            finish();
        }
    }

    /**
     * Pipes this stream into {@code sink} with backpressure: pauses when {@code sink.write} returns
     * false, resumes on its drain, ends it at the end, destroys it if the file fails, and stops
     * reading if the sink closes first.
     *
     * @param sink where the bytes go, on the same loop
     * @return bytes piped once the sink was ended; rejected with the read failure or with why the
     *     sink closed early
     */
    public Promise<Long> pipeTo(ByteSink sink) {
        check();
        Promise<Long> result = loop.promise();
        sink.onDrain(this::resume);
        sink.onClose(cause -> {
            if (!result.isDone()) {
                destroy();
                result.reject(cause != null ? cause
                        : new EventideException("sink closed after " + bytesRead + " bytes of " + path));
            }
        });
        onEnd(() -> {
            result.resolve(bytesRead);
            sink.end();
        });
        onError(err -> {
            result.reject(err);
            sink.destroy();
        });
        onData(buf -> {
            if (!sink.write(buf)) {
                pause();
            }
        });
        return result;
    }

    private void check() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("FileReadStream of " + path + " must be used on " + loop.name()
                    + ", not on " + Thread.currentThread().getName());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reading: one pool call in flight at a time, so the channel position needs no lock.

    private void fill() {
        if (inFlight || eof || done || ready.size() >= BATCH) {
            return;
        }
        BufferPool pool = loop.buffers();
        ByteBuffer[] bufs = new ByteBuffer[BATCH];
        long want = remaining;
        int n = 0;
        while (n < BATCH && want > 0) {
            ByteBuffer b = pool.acquire();
            if (b.capacity() > want) {
                b.limit((int) want);
            }
            want -= b.remaining();
            bufs[n++] = b;
        }
        if (n == 0) {
            eof = true;
            deliver();
            return;
        }
        ByteBuffer[] batch = n == BATCH ? bufs : Arrays.copyOf(bufs, n);
        inFlight = true;
        long pos = position;
        fs.call("read", path, () -> readBatch(batch, pos)).whenComplete((got, err) -> afterRead(batch, got, err));
    }

    /** On a pool thread: opens on first use, then reads sequentially into the batch. */
    private long readBatch(ByteBuffer[] batch, long pos) throws IOException {
        FileChannel ch = channel;
        if (ch == null) {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            ch.position(pos);
            channel = ch; // published to the loop by the promise's hand-off; read back here by the next call
        }
        long total = 0;
        while (batch[batch.length - 1].hasRemaining()) {
            long r = ch.read(batch);
            if (r < 0) {
                return total == 0 ? -1 : total;
            }
            total += r;
        }
        return total;
    }

    private void afterRead(ByteBuffer[] batch, Long got, Throwable err) {
        inFlight = false;
        if (done || err != null) {
            for (ByteBuffer b : batch) {
                loop.buffers().release(b);
            }
            if (err != null && !done) {
                fail(err);
            } else {
                closeChannel();
            }
            return;
        }
        long n = got;
        if (n < 0) {
            eof = true;
        } else {
            position += n;
            remaining -= n;
            if (remaining == 0) {
                eof = true;
            }
        }
        for (ByteBuffer b : batch) {
            b.flip();
            if (b.hasRemaining()) {
                ready.add(b);
            } else {
                loop.buffers().release(b);
                eof = true; // a short read stops only at the end of the file
            }
        }
        fill();
        deliver();
    }

    private void deliver() {
        if (delivering || done) {
            return;
        }
        delivering = true;
        try {
            while (!paused && !done && !ready.isEmpty()) {
                ByteBuffer b = ready.poll();
                bytesRead += b.remaining();
                try {
                    onData.accept(b);
                } catch (Throwable t) {
                    loop.buffers().release(b);
                    fail(t);
                    return;
                }
                loop.buffers().release(b);
                fill();
            }
        } finally {
            delivering = false;
        }
        if (!done && ready.isEmpty() && eof && !inFlight) {
            finish();
            onEnd.run();
        } else if (!done && !paused) {
            fill();
        }
    }

    private void fail(Throwable t) {
        if (done) {
            return;
        }
        finish();
        Throwable e = t instanceof IOException ? Errors.map("read", path, t) : t;
        if (onError != null) {
            onError.accept(e);
        } else {
            loop.reportUncaught(e);
        }
    }

    private void finish() {
        done = true;
        ByteBuffer b;
        while ((b = ready.poll()) != null) {
            loop.buffers().release(b);
        }
        if (!inFlight) {
            closeChannel();
        }
    }

    private void closeChannel() {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            fs.call("close", path, () -> {
                ch.close();
                return null;
            }).onFailure(e -> { /* closing a read-only channel: nothing was lost */ });
        }
    }

    @Override
    public String toString() {
        return "FileReadStream[" + path + ", read " + bytesRead + (done ? ", done" : paused ? ", paused" : "") + "]";
    }
}
