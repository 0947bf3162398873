package io.eventide.core.fs;

import java.nio.file.Path;

/**
 * A change seen by a {@link DirectoryWatcher}.
 *
 * @param kind what happened
 * @param path the entry concerned (the watched directory itself for {@link Kind#OVERFLOW})
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record FileEvent(Kind kind, Path path) {

    /** What happened to an entry. */
    public enum Kind {
        /** An entry was created or moved in. */
        CREATED,
        /** An entry's content or metadata changed. */
        MODIFIED,
        /** An entry was deleted or moved out. */
        DELETED,
        /** Events were lost (the kernel's queue overflowed): list the directory again. */
        OVERFLOW
    }
}
