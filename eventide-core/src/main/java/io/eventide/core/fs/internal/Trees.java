package io.eventide.core.fs.internal;

import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Recursive copy and delete, run on a file-pool thread. Symbolic links are copied and deleted as
 * links, never followed: deleting a tree never reaches outside it.
 *
 * <p><b>Threading:</b> blocking; file-pool threads only.
 */
public final class Trees {
    private Trees() {
    }

    /**
     * Deletes {@code root} and, if it is a directory, everything below it.
     *
     * @param root file or directory
     * @return whether anything existed to delete
     * @throws IOException the first failure; what was deleted before it stays deleted
     */
    public static boolean deleteRecursive(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        return true;
    }

    /**
     * Copies {@code src} to {@code dst}; a directory is copied with everything below it.
     *
     * @param src what to copy
     * @param dst where; must not exist unless {@code replace}
     * @param replace whether existing files at the destination are replaced
     * @throws IOException the first failure
     */
    public static void copyRecursive(Path src, Path dst, boolean replace) throws IOException {
        if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(src.toString());
        }
        CopyOption[] opts = replace
                ? new CopyOption[] {StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                    LinkOption.NOFOLLOW_LINKS}
                : new CopyOption[] {StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS};
        if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(src, dst, opts);
            return;
        }
        Path dstAbs = dst.toAbsolutePath().normalize();
        if (dstAbs.startsWith(src.toAbsolutePath().normalize())) {
            throw new IOException("cannot copy directory " + src + " into itself (" + dst + ")");
        }
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = dst.resolve(src.relativize(dir).toString());
                if (!(replace && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS))) {
                    Files.copy(dir, target, opts);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, dst.resolve(src.relativize(file).toString()), opts);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
