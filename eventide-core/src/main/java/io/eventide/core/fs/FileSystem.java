package io.eventide.core.fs;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.fs.internal.Errors;
import io.eventide.core.fs.internal.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Non-blocking files for one loop: Node's {@code fs/promises}. Every call runs the blocking JDK call
 * on a {@link FilePool} thread and settles its promise on {@link #loop()}, so callbacks need no locks.
 *
 * <pre>
 *   loop ──readFile(p)──► file pool queue ──► eventide-fs-N: Files.readAllBytes(p)
 *     ▲                                                   │
 *     └──────── promise settles on the loop ◄─────────────┘   (failure: FsException with a code)
 * </pre>
 *
 * {@snippet :
 * FileSystem fs = FileSystem.of(req.loop());
 * fs.readString(Path.of("config.json"))
 *   .onSuccess(res::end)
 *   .onFailure(err -> res.sendError(err instanceof FsException e
 *           && e.code() == FsException.Code.ENOENT ? 404 : 500, "no config"));
 * }
 *
 * <p>Whole-file calls ({@link #readFile}, {@link #writeFile}, ...) hold the file in memory; for big
 * files use streams, which flow through the loop's pooled buffers with backpressure:
 * {@link #readStream} (a source, e.g. piped into a socket or an HTTP response) and
 * {@link #writeStream} (a sink, e.g. fed by a request body). {@link #open} gives positional
 * reads and writes; {@link #watch} reports changes in a directory.
 *
 * <p>Failures reject the promise with {@link FsException} (its {@link FsException#code()} is
 * {@code ENOENT}, {@code EACCES}, {@code ENOSPC}, ...), or with
 * {@link io.eventide.core.OverloadException} when the pool's queue is full. Null arguments throw at
 * once.
 *
 * <p><b>Threading:</b> any thread may call; promises settle and callbacks run on {@link #loop()}.
 * Streams and watchers it creates are loop-confined to that loop.
 */
public final class FileSystem {
    private final EventLoop loop;
    private final FilePool pool;

    private FileSystem(EventLoop loop, FilePool pool) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * @param loop where promises settle
     * @return file operations for {@code loop}, on its group's shared {@link FilePool}
     */
    public static FileSystem of(EventLoop loop) {
        return new FileSystem(loop, FilePool.of(loop.group()));
    }

    /**
     * @param loop where promises settle
     * @param pool the pool that runs the blocking calls
     * @return file operations for {@code loop} on {@code pool}
     */
    public static FileSystem of(EventLoop loop, FilePool pool) {
        return new FileSystem(loop, pool);
    }

    /** @return the loop promises settle on */
    public EventLoop loop() {
        return loop;
    }

    /** @return the pool the blocking calls run on */
    public FilePool pool() {
        return pool;
    }

    <T> Promise<T> call(String op, Path path, Callable<T> c) {
        return pool.submit(loop, () -> {
            try {
                return c.call();
            } catch (IOException | UncheckedIOException e) {
                throw Errors.map(op, path, e instanceof UncheckedIOException u ? u.getCause() : e);
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // Whole files

    /** @param path the file @return its bytes */
    public Promise<byte[]> readFile(Path path) {
        Objects.requireNonNull(path, "path");
        return call("readFile", path, () -> Files.readAllBytes(path));
    }

    /** @param path the file @return its text, decoded as UTF-8 (malformed input fails with EIO) */
    public Promise<String> readString(Path path) {
        Objects.requireNonNull(path, "path");
        return call("readString", path, () -> Files.readString(path, StandardCharsets.UTF_8));
    }

    /**
     * Creates or truncates {@code path} and writes {@code bytes}.
     *
     * @param path the file
     * @param bytes its new content; not copied, so do not change it until the promise settles
     * @return settles once written
     */
    public Promise<Void> writeFile(Path path, byte[] bytes) {
        return write("writeFile", path, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** @param path the file @param text its new content, encoded as UTF-8 @return settles once written */
    public Promise<Void> writeString(Path path, String text) {
        return writeFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param path the file, created if missing
     * @param bytes appended at its end; not copied
     * @return settles once written
     */
    public Promise<Void> appendFile(Path path, byte[] bytes) {
        return write("appendFile", path, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** @param path the file, created if missing @param text appended, as UTF-8 @return settles once written */
    public Promise<Void> appendString(Path path, String text) {
        return appendFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    private Promise<Void> write(String op, Path path, byte[] bytes, OpenOption... opts) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
        return call(op, path, () -> {
            Files.write(path, bytes, opts);
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------
    // Handles and streams

    /**
     * Opens a file for positional reads and writes ({@link FileHandle}). Without options it is opened
     * for reading.
     *
     * @param path the file
     * @param options {@link StandardOpenOption}s, e.g. {@code READ, WRITE, CREATE}
     * @return the open handle; close it
     */
    public Promise<FileHandle> open(Path path, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        Set<OpenOption> opts = options.length == 0 ? Set.of(StandardOpenOption.READ) : Set.of(options);
        return call("open", path, () -> new FileHandle(this, path, FileChannel.open(path, opts)));
    }

    /** @param path the file @return a source of all its bytes; loop-confined to {@link #loop()} */
    public FileReadStream readStream(Path path) {
        return readStream(path, 0, Long.MAX_VALUE);
    }

    /**
     * @param path the file
     * @param start first byte to read
     * @param length how many bytes at most ({@link Long#MAX_VALUE}: to the end)
     * @return a source of that range; call it on {@link #loop()}
     */
    public FileReadStream readStream(Path path, long start, long length) {
        Objects.requireNonNull(path, "path");
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("start and length must be >= 0: " + start + ", " + length);
        }
        return new FileReadStream(this, path, start, length);
    }

    /** @param path the file, created or truncated @return a sink writing to it; call it on {@link #loop()} */
    public FileWriteStream writeStream(Path path) {
        return writeStream(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /**
     * @param path the file
     * @param options how to open it, e.g. {@code CREATE_NEW, WRITE} or {@code CREATE, APPEND, WRITE}
     * @return a sink writing to it; call it on {@link #loop()}
     */
    public FileWriteStream writeStream(Path path, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        return new FileWriteStream(this, path, Set.of(options));
    }

    /**
     * Watches {@code dir} (not its subdirectories) for created, modified and deleted entries.
     *
     * @param dir an existing directory
     * @return the watcher once registered; events arrive on {@link #loop()}; close it
     */
    public Promise<DirectoryWatcher> watch(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return call("watch", dir, () -> DirectoryWatcher.start(loop, dir));
    }

    // ------------------------------------------------------------------------------------------
    // Metadata and directories

    /** @param path a file; links are followed @return what it is */
    public Promise<FileStat> stat(Path path) {
        Objects.requireNonNull(path, "path");
        return call("stat", path, () -> FileStat.read(path, true));
    }

    /** @param path a file; a link is described itself @return what it is */
    public Promise<FileStat> lstat(Path path) {
        Objects.requireNonNull(path, "path");
        return call("lstat", path, () -> FileStat.read(path, false));
    }

    /** @param path a file @return whether it exists (a dangling link counts as existing) */
    public Promise<Boolean> exists(Path path) {
        Objects.requireNonNull(path, "path");
        return call("exists", path, () -> Files.exists(path, LinkOption.NOFOLLOW_LINKS));
    }

    /** @param dir the directory to create; its parent must exist @return settles once created */
    public Promise<Void> mkdir(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return call("mkdir", dir, () -> {
            Files.createDirectory(dir);
            return null;
        });
    }

    /** @param dir the directory, created with its missing parents; fine if it exists @return settles once done */
    public Promise<Void> mkdirs(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return call("mkdirs", dir, () -> {
            try {
                Files.createDirectories(dir);
            } catch (FileAlreadyExistsException e) {
                throw new java.nio.file.NotDirectoryException(dir.toString());
            }
            return null;
        });
    }

    /** @param dir a directory @return its entries, sorted by name */
    public Promise<List<Path>> list(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return call("list", dir, () -> {
            List<Path> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(out::add);
            }
            Collections.sort(out);
            return out;
        });
    }

    /**
     * Moves or renames {@code src}. Atomic within one file system; across file systems a directory
     * is copied, then deleted.
     *
     * @param src what to move
     * @param dst where
     * @param replace whether an existing {@code dst} (a file or an empty directory) is replaced
     * @return settles once moved
     */
    public Promise<Void> move(Path src, Path dst, boolean replace) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        return call("move", src, () -> {
            try {
                if (replace) {
                    Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.move(src, dst);
                }
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS) || Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
                // A non-empty directory moved to another file system: the JDK will not; copy, then delete.
                Trees.copyRecursive(src, dst, false);
                Trees.deleteRecursive(src);
            }
            return null;
        });
    }

    /**
     * Copies {@code src} to {@code dst}; a directory with everything below it. Links are copied as links.
     *
     * @param src what to copy
     * @param dst where
     * @param replace whether existing files at {@code dst} are overwritten
     * @return settles once copied
     */
    public Promise<Void> copy(Path src, Path dst, boolean replace) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        return call("copy", src, () -> {
            Trees.copyRecursive(src, dst, replace);
            return null;
        });
    }

    /** @param path a file or an empty directory; must exist @return settles once deleted */
    public Promise<Void> delete(Path path) {
        Objects.requireNonNull(path, "path");
        return call("delete", path, () -> {
            Files.delete(path);
            return null;
        });
    }

    /**
     * Deletes a file, or a directory with everything below it ({@code rm -rf}); links are not followed.
     *
     * @param path what to delete
     * @return whether anything existed
     */
    public Promise<Boolean> deleteRecursive(Path path) {
        Objects.requireNonNull(path, "path");
        return call("deleteRecursive", path, () -> Trees.deleteRecursive(path));
    }

    /**
     * @param dir where, or null for the system's temporary directory
     * @param prefix name prefix, or null
     * @param suffix name suffix, or null for {@code .tmp}
     * @return the new, empty file (mode {@code rw-------})
     */
    public Promise<Path> createTempFile(Path dir, String prefix, String suffix) {
        Path where = dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir;
        return call("createTempFile", where, () -> Files.createTempFile(where, prefix, suffix));
    }

    /**
     * @param dir where, or null for the system's temporary directory
     * @param prefix name prefix, or null
     * @return the new, empty directory (mode {@code rwx------})
     */
    public Promise<Path> createTempDirectory(Path dir, String prefix) {
        Path where = dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir;
        return call("createTempDirectory", where, () -> Files.createTempDirectory(where, prefix));
    }

    @Override
    public String toString() {
        return "FileSystem[" + loop.name() + ", " + pool + "]";
    }
}
