package io.eventide.core.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * What {@link FileSystem#stat} found: Node's {@code fs.Stats}, as a value.
 *
 * @param path the file
 * @param kind regular file, directory, symbolic link or other
 * @param size size in bytes
 * @param modified last modification time
 * @param accessed last access time
 * @param created creation time where the file system records it, else the modification time
 * @param permissions POSIX permissions such as {@code "rw-r--r--"}, or null where not supported
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record FileStat(Path path, Kind kind, long size, Instant modified, Instant accessed, Instant created,
        String permissions) {

    /** The kind of file. */
    public enum Kind {
        /** A regular file. */
        FILE,
        /** A directory. */
        DIRECTORY,
        /** A symbolic link (only from {@link FileSystem#lstat}). */
        SYMLINK,
        /** A device, socket or pipe. */
        OTHER
    }

    /** @return whether this is a regular file */
    public boolean isFile() {
        return kind == Kind.FILE;
    }

    /** @return whether this is a directory */
    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    static FileStat read(Path path, boolean followLinks) throws IOException {
        LinkOption[] opts = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        BasicFileAttributes a;
        String perms = null;
        try {
            PosixFileAttributes pa = Files.readAttributes(path, PosixFileAttributes.class, opts);
            perms = PosixFilePermissions.toString(pa.permissions());
            a = pa;
        } catch (UnsupportedOperationException e) {
            a = Files.readAttributes(path, BasicFileAttributes.class, opts);
        }
        Kind kind = a.isSymbolicLink() ? Kind.SYMLINK : a.isDirectory() ? Kind.DIRECTORY
                : a.isRegularFile() ? Kind.FILE : Kind.OTHER;
        return new FileStat(path, kind, a.size(), a.lastModifiedTime().toInstant(), a.lastAccessTime().toInstant(),
                a.creationTime().toInstant(), perms);
    }
}
