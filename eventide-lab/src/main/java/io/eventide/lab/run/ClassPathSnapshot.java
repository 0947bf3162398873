package io.eventide.lab.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A private copy of the lab's class path, taken before anything runs. A full run lasts up to 45
 * minutes; a rebuild in the same work tree meanwhile (a developer's {@code mvn install}) rewrites
 * {@code eventide-*}/target jars under the feet of the running JVMs, and every server started
 * after it would measure different code. The lab therefore runs itself and all its children from
 * the copy.
 *
 * <p><b>Threading:</b> stateless; called once from {@code main}.
 */
public final class ClassPathSnapshot {
    private ClassPathSnapshot() {
    }

    /**
     * Copies every entry of {@code classPath} into {@code dir}.
     *
     * @param classPath a class path ({@link File#pathSeparator}-separated jars and directories)
     * @param dir where to put the copies (created)
     * @return the class path of the copies, in the same order
     * @throws IOException when a copy fails
     */
    public static String copy(String classPath, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue; // a stale entry: the JVM ignores it too
            }
            Path to = dir.resolve(String.format("%03d-%s", i++, from.getFileName()));
            if (Files.isDirectory(from)) {
                copyTree(from, to);
            } else {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            out.add(to.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
