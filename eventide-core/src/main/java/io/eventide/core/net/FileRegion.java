package io.eventide.core.net;

import java.nio.channels.FileChannel;
import java.util.function.Consumer;

/**
 * A file region queued on a {@link Connection} for zero-copy sending ({@link Connection#sendFile}).
 *
 * <p><b>Threading:</b> loop-confined, like the connection that queued it.
 */
final class FileRegion {
    private final FileChannel file;
    private final Consumer<Throwable> onSent;
    private long position;
    private long remaining;

    FileRegion(FileChannel file, long position, long count, Consumer<Throwable> onSent) {
        this.file = file;
        this.position = position;
        this.remaining = count;
        this.onSent = onSent;
    }

    FileChannel file() {
        return file;
    }

    long position() {
        return position;
    }

    long remaining() {
        return remaining;
    }

    Consumer<Throwable> onSent() {
        return onSent;
    }

    void advance(long n) {
        position += n;
        remaining -= n;
    }
}
