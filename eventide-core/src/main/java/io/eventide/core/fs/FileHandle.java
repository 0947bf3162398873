package io.eventide.core.fs;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * An open file with positional reads and writes: Node's {@code FileHandle}. Positions are explicit on
 * every call, so calls in flight at once do not disturb each other (they are {@code pread}/{@code
 * pwrite}); there is no shared file pointer. Close it when done; calls after {@link #close()} fail
 * with {@link FsException.Code#ECLOSED}.
 *
 * {@snippet :
 * fs.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE).flatMap(fh ->
 *     fh.write("header".getBytes(), 0)
 *       .flatMap(n -> fh.read(0, 6))
 *       .whenComplete((bytes, err) -> fh.close()));
 * }
 *
 * <p><b>Threading:</b> any thread may call; the blocking part runs on the {@link FilePool} and
 * promises settle on the loop of the {@link FileSystem} that opened it. A buffer passed to
 * {@link #read(ByteBuffer, long)} or {@link #write(ByteBuffer, long)} belongs to the call until its
 * promise settles: do not touch it meanwhile.
 */
public final class FileHandle {
    private final FileSystem fs;
    private final Path path;
    private final FileChannel channel;

    FileHandle(FileSystem fs, Path path, FileChannel channel) {
        this.fs = fs;
        this.path = path;
        this.channel = channel;
    }

    /** @return the file's path */
    public Path path() {
        return path;
    }

    /** @return the loop promises settle on */
    public EventLoop loop() {
        return fs.loop();
    }

    /**
     * Reads up to {@code length} bytes at {@code position}; fewer only at the end of the file.
     *
     * @param position where to start
     * @param length how many bytes at most
     * @return the bytes read (empty at or past the end)
     */
    public Promise<byte[]> read(long position, int length) {
        checkRange(position, length);
        return fs.call("read", path, () -> {
            ByteBuffer b = ByteBuffer.allocate(length);
            long pos = position;
            while (b.hasRemaining()) {
                int n = channel.read(b, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            return b.position() == length ? b.array() : Arrays.copyOf(b.array(), b.position());
        });
    }

    /**
     * Reads into {@code dst} at {@code position}, filling it unless the file ends first.
     *
     * @param dst where the bytes go, from its position to its limit; owned by the call until it settles
     * @param position where to start in the file
     * @return bytes read, or -1 if {@code position} is at or past the end
     */
    public Promise<Integer> read(ByteBuffer dst, long position) {
        Objects.requireNonNull(dst, "dst");
        checkRange(position, 0);
        return fs.call("read", path, () -> {
            int total = 0;
            long pos = position;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, pos);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
                pos += n;
            }
            return total;
        });
    }

    /**
     * Writes all of {@code bytes} at {@code position}, extending the file if needed.
     *
     * @param bytes what to write; not copied, so do not change it until the promise settles
     * @param position where
     * @return bytes written ({@code bytes.length})
     */
    public Promise<Integer> write(byte[] bytes, long position) {
        Objects.requireNonNull(bytes, "bytes");
        return write(ByteBuffer.wrap(bytes), position);
    }

    /**
     * Writes all remaining bytes of {@code src} at {@code position}.
     *
     * @param src what to write; owned by the call until it settles
     * @param position where
     * @return bytes written
     */
    public Promise<Integer> write(ByteBuffer src, long position) {
        Objects.requireNonNull(src, "src");
        checkRange(position, 0);
        return fs.call("write", path, () -> writeFully(channel, src, position));
    }

    static int writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        int total = 0;
        long pos = position;
        while (src.hasRemaining()) {
            int n = ch.write(src, pos);
            total += n;
            pos += n;
        }
        return total;
    }

    /** @return the file's current size */
    public Promise<Long> size() {
        return fs.call("size", path, channel::size);
    }

    /** @param size new size; bytes past it are dropped @return settles once done */
    public Promise<Void> truncate(long size) {
        checkRange(size, 0);
        return fs.call("truncate", path, () -> {
            if (size > channel.size()) {
                // FileChannel.truncate never grows a file; write one byte at the end instead.
                channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
            } else {
                channel.truncate(size);
            }
            return null;
        });
    }

    /** @return settles once data and metadata reached the device ({@code fsync}) */
    public Promise<Void> sync() {
        return fs.call("sync", path, () -> {
            channel.force(true);
            return null;
        });
    }

    /** @return whether {@link #close()} was called */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** @return settles once closed; closing twice is harmless */
    public Promise<Void> close() {
        return fs.call("close", path, () -> {
            channel.close();
            return null;
        });
    }

    private static void checkRange(long position, int length) {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("position and length must be >= 0: " + position + ", " + length);
        }
    }

    @Override
    public String toString() {
        return "FileHandle[" + path + (channel.isOpen() ? "" : ", closed") + "]";
    }
}
