package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The javadoc site ({@code ./eventide docs}) has an overview for every package: each package of
 * every module's ({@code eventide-*}) main sources has a {@code package-info.java} with a sentence in it.
 */
class PackageOverviewTest {
    @Test
    void everyPackageHasAnOverview() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> packages = new java.util.ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.filter(m -> m.getFileName().toString().startsWith("eventide-")).sorted().toList()) {
                for (String source : new String[] {"src/main/java", "src/main/java22"}) {
                    Path main = m.resolve(source);
                    if (!Files.isDirectory(main)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(main)) {
                        files.filter(f -> f.toString().endsWith(".java") && !f.getFileName().toString().equals("module-info.java"))
                                .map(Path::getParent).distinct().sorted().forEach(packages::add);
                    }
                }
            }
        }
        assertThat(packages).as("packages found under %s", root).hasSizeGreaterThan(20);
        for (Path p : packages) {
            Path info = p.resolve("package-info.java");
            assertThat(info).as("the package overview of %s", root.relativize(p)).isRegularFile();
            String text = Files.readString(info);
            int start = text.indexOf("/**");
            int end = text.indexOf("*/", start + 3);
            String doc = start < 0 || end < 0 ? "" : text.substring(start + 3, end).replaceAll("(?m)^\\s*\\*", " ");
            assertThat(doc.trim().split("\\s+")).as("%s describes its package in a sentence", root.relativize(info))
                    .hasSizeGreaterThanOrEqualTo(3);
        }
    }
}
