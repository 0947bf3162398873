package io.eventide.core.fs.internal;

import io.eventide.core.fs.FsException;
import io.eventide.core.fs.FsException.Code;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns the JDK's I/O exceptions into {@link FsException} with a POSIX code. The JDK maps only some
 * errno values to exception types (ENOENT, EACCES, EEXIST, ENOTEMPTY, ENOTDIR); for the rest
 * (ENOSPC, EROFS, EPERM, EISDIR) it throws a plain {@link IOException} whose reason is the C
 * library's {@code strerror} text, so those are recognised by that text.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Errors {
    private Errors() {
    }

    /**
     * @param op the operation, e.g. {@code "readFile"}
     * @param path the file concerned
     * @param e what the JDK threw
     * @return the failure to reject the promise with
     */
    public static FsException map(String op, Path path, Throwable e) {
        if (e instanceof FsException fe) {
            return fe;
        }
        Code code = code(e);
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage();
        return new FsException(code, path, op + " " + path + " failed: " + code + (reason == null ? ""
                : " (" + reason + ")"), e);
    }

    static Code code(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return Code.ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return Code.EACCES;
        }
        if (e instanceof FileAlreadyExistsException) {
            return Code.EEXIST;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return Code.ENOTEMPTY;
        }
        if (e instanceof NotDirectoryException) {
            return Code.ENOTDIR;
        }
        if (e instanceof FileSystemLoopException) {
            return Code.ELOOP;
        }
        if (e instanceof ClosedChannelException) {
            return Code.ECLOSED;
        }
        String msg = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage();
        String m = msg == null ? "" : msg.toLowerCase(Locale.ROOT);
        if (m.contains("no space left")) {
            return Code.ENOSPC;
        }
        if (m.contains("disk quota exceeded")) {
            return Code.ENOSPC;
        }
        if (m.contains("read-only file system")) {
            return Code.EROFS;
        }
        if (m.contains("operation not permitted")) {
            return Code.EPERM;
        }
        if (m.contains("permission denied")) {
            return Code.EACCES;
        }
        if (m.contains("is a directory")) {
            return Code.EISDIR;
        }
        if (m.contains("not a directory")) {
            return Code.ENOTDIR;
        }
        if (e instanceof FileNotFoundException || m.contains("no such file")) {
            return Code.ENOENT;
        }
        if (m.contains("file exists")) {
            return Code.EEXIST;
        }
        if (m.contains("directory not empty")) {
            return Code.ENOTEMPTY;
        }
        return Code.EIO;
    }
}
