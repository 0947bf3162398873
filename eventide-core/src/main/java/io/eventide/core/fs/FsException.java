package io.eventide.core.fs;

import io.eventide.core.EventideException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * A file-system call failed. {@link #code()} says why in the POSIX words Node uses
 * ({@code ENOENT}, {@code EACCES}, {@code ENOSPC}, ...), so callers switch on a value instead of
 * parsing messages; {@link #path()} names the file; the cause is the JDK's exception.
 *
 * <pre>{@code
 * fs.readFile(path).recover(err -> err instanceof FsException e && e.code() == FsException.Code.ENOENT
 *         ? new byte[0] : rethrow(err));
 * }</pre>
 *
 * <p><b>Threading:</b> immutable; any thread.
 */
public final class FsException extends EventideException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Why a call failed. */
    public enum Code {
        /** No such file or directory. */
        ENOENT,
        /** Permission denied by the file's mode or ACL. */
        EACCES,
        /** Operation not permitted (e.g. an immutable file). */
        EPERM,
        /** The file already exists. */
        EEXIST,
        /** A path component is not a directory. */
        ENOTDIR,
        /** The path is a directory where a file was needed. */
        EISDIR,
        /** The directory is not empty. */
        ENOTEMPTY,
        /** No space left on the device (disk or quota full). */
        ENOSPC,
        /** The file system is mounted read-only. */
        EROFS,
        /** Too many levels of symbolic links. */
        ELOOP,
        /** The stream or handle was already closed. */
        ECLOSED,
        /** Any other I/O failure; the cause says more. */
        EIO
    }

    private final Code code;
    private final transient Path path;

    /**
     * @param code why
     * @param path the file concerned, or null
     * @param message what failed, with the path
     * @param cause the JDK's exception, or null
     */
    public FsException(Code code, Path path, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.path = path;
    }

    /** @return why the call failed */
    public Code code() {
        return code;
    }

    /** @return the file concerned, or null */
    public Path path() {
        return path;
    }
}
