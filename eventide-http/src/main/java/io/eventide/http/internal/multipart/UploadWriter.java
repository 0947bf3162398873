package io.eventide.http.internal.multipart;

import io.eventide.core.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Writes file parts to disk off the loop, in order, with bounded memory.
 *
 * <pre>
 *  loop: part data ──copy──&gt; fill buffer ──full──&gt; task queue ──one at a time──&gt; worker:
 *                                                                   open / hash+write / close
 *        pause the request while {@link #backlogged()}; resume when a write completes
 * </pre>
 *
 * <p>Tasks (open a part's file, write a buffer, close it, delete everything) run one at a time on
 * the loop group's workers through {@code EventLoop.offload}; each is submitted only after the
 * previous one completed. That keeps writes to a file in order without locks and gives the
 * happens-before edges {@link FileTarget} relies on. Buffers are heap arrays of one fixed size,
 * recycled through a spare list of two, so a steady upload allocates nothing.
 *
 * <p>Memory bound: the session pauses the request once two buffers wait for the disk. A pause takes
 * effect before the next delivery, so on top of those two only the delivery in progress (one socket
 * read, 64 KiB) can still be copied: about {@code 3 * bufferSize + 64 KiB} per upload.
 *
 * <p><b>Threading:</b> loop-confined, except the task bodies, which run on workers.
 */
final class UploadWriter {
    /** Largest write buffer: big enough to amortise a worker hop, small enough to stay cheap. */
    static final int MAX_BUFFER = 256 * 1024;
    private static final int MAX_QUEUED_BUFFERS = 2;

    private record Task(Callable<Void> work, Consumer<Throwable> done, ByteBuffer buffer) {
    }

    private final EventLoop loop;
    private final int bufferSize;
    private final Consumer<Throwable> onFailure;
    private final Runnable onProgress;
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>(MAX_QUEUED_BUFFERS);
    private ByteBuffer fill;
    private int queuedBuffers;
    private boolean running;

    /**
     * @param loop the request's loop
     * @param bufferSize write buffer size (at most {@link #MAX_BUFFER})
     * @param onFailure called once per failed open, write or close task
     * @param onProgress called after every task, to resume reading or complete the upload
     */
    UploadWriter(EventLoop loop, int bufferSize, Consumer<Throwable> onFailure, Runnable onProgress) {
        this.loop = loop;
        this.bufferSize = bufferSize;
        this.onFailure = onFailure;
        this.onProgress = onProgress;
    }

    void open(FileTarget t) {
        submit(new Task(() -> {
            t.open();
            return null;
        }, this::failIfError, null));
    }

    /** Copies {@code data} (a view valid only now) into write buffers; full ones go to disk. */
    void append(FileTarget t, ByteBuffer data) {
        while (data.hasRemaining()) {
            if (fill == null) {
                fill = spare.isEmpty() ? ByteBuffer.allocate(bufferSize) : spare.poll();
            }
            int n = Math.min(fill.remaining(), data.remaining());
            fill.put(fill.position(), data, data.position(), n);
            fill.position(fill.position() + n);
            data.position(data.position() + n);
            if (!fill.hasRemaining()) {
                flush(t);
            }
        }
    }

    /** Ends the part: writes what is buffered, closes the file, then runs {@code then} on the loop. */
    void close(FileTarget t, Runnable then) {
        flush(t);
        submit(new Task(() -> {
            t.close();
            return null;
        }, err -> {
            if (err == null) {
                then.run();
            } else {
                onFailure.accept(err);
            }
        }, null));
    }

    /**
     * Drops the tasks not started yet, then deletes every target's file once the running task is
     * done, and runs {@code then} whatever the outcome.
     */
    void abort(List<FileTarget> targets, Runnable then) {
        for (Task t : queue) {
            if (t.buffer() != null) {
                queuedBuffers--;
                recycle(t.buffer());
            }
        }
        queue.clear();
        if (fill != null) {
            recycle(fill);
            fill = null;
        }
        submit(new Task(() -> {
            targets.forEach(FileTarget::discard);
            return null;
        }, err -> then.run(), null));
    }

    /** @return whether enough data waits for the disk that the request should pause */
    boolean backlogged() {
        return queuedBuffers >= MAX_QUEUED_BUFFERS;
    }

    /** @return whether no task is queued or running */
    boolean isIdle() {
        return !running && queue.isEmpty();
    }

    private void flush(FileTarget t) {
        if (fill == null || fill.position() == 0) {
            return;
        }
        ByteBuffer b = fill.flip();
        fill = null;
        queuedBuffers++;
        submit(new Task(() -> {
            t.write(b);
            return null;
        }, this::failIfError, b));
    }

    private void failIfError(Throwable err) {
        if (err != null) {
            onFailure.accept(err);
        }
    }

    private void submit(Task t) {
        queue.add(t);
        pump();
    }

    private void pump() {
        if (running || queue.isEmpty()) {
            return;
        }
        Task t = queue.poll();
        running = true;
        // onSuccess/onFailure rather than whenComplete, whose derived promise would re-reject a
        // failure nobody observes (reported as an unhandled rejection).
        loop.offload(t.work()).onSuccess(v -> completed(t, null)).onFailure(err -> completed(t, err));
    }

    private void completed(Task t, Throwable err) {
        running = false;
        if (t.buffer() != null) {
            queuedBuffers--;
            recycle(t.buffer());
        }
        t.done().accept(err);
        pump();
        onProgress.run();
    }

    private void recycle(ByteBuffer b) {
        if (spare.size() < MAX_QUEUED_BUFFERS) {
            spare.add(b.clear());
        }
    }
}
