package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick half of the library guide's check, inside the test suite: the minimal project of
 * docs/library.md imports the BOM of this very version, leaves eventide-http's version to it, and
 * its App.java compiles against the current API. (scripts/adoption-check.sh does the slow half:
 * fresh clone, empty Maven repository, install, build and serve.)
 */
class LibraryGuideTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static String block(String lang) throws Exception {
        String markdown = Files.readString(ROOT.resolve("docs/library.md"));
        Matcher m = Pattern.compile("```" + lang + "\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        assertThat(m.find()).as("docs/library.md has a ```%s block", lang).isTrue();
        return m.group(1);
    }

    /** The {@code <dependency>} element naming {@code artifactId}, whitespace removed. */
    private static String dependency(String pom, String artifactId) {
        Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
        while (m.find()) {
            String d = m.group(1).replaceAll("\\s+", "");
            if (d.contains("<artifactId>" + artifactId + "</artifactId>")) {
                return d;
            }
        }
        throw new AssertionError("docs/library.md's pom has no dependency on " + artifactId);
    }

    @Test
    void theGuidesPomImportsThisVersionsBom() throws Exception {
        Matcher v = Pattern.compile("<artifactId>eventide-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(v.find()).isTrue();
        String pom = block("xml");
        assertThat(dependency(pom, "eventide-bom")).contains("<groupId>io.eventide</groupId>",
                "<version>" + v.group(1) + "</version>", "<type>pom</type>", "<scope>import</scope>");
        assertThat(dependency(pom, "eventide-http")).as("eventide-http's version comes from the BOM")
                .contains("<groupId>io.eventide</groupId>").doesNotContain("<version>");
        assertThat(Files.readString(ROOT.resolve("eventide-bom/pom.xml"))).as("the BOM manages eventide-http")
                .contains("<artifactId>eventide-http</artifactId>");
    }

    @Test
    void theGuidesAppCompilesAgainstTheCurrentApi(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/com/example/App.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, block("java"));
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        assertThat(javac).as("the JDK's javac").isExecutable();
        Path log = dir.resolve("javac.log");
        Process p = new ProcessBuilder(javac.toString(), "--release", "21", "-Xlint:all", "-Werror",
                "-cp", ChildJvm.classPath(), "-d", dir.resolve("classes").toString(), src.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docs/library.md's App.java compiles:%n%s", Files.readString(log, StandardCharsets.UTF_8))
                .isZero();
        assertThat(dir.resolve("classes/com/example/App.class")).isRegularFile();
    }
}
