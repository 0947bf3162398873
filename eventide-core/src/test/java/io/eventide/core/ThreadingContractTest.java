package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * STYLE §4 enforced: every public top-level type in every module's main sources says in its javadoc
 * which thread may call it (a "Threading" paragraph), and no public API signature of an API package
 * names an internal type (the API-leak check).
 */
class ThreadingContractTest {
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)");

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("eventide-core"))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }

    static List<Path> mainSources() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repoRoot())) {
            for (Path m : modules.filter(d -> d.getFileName().toString().startsWith("eventide-")).toList()) {
                for (String root : new String[] {"src/main/java", "src/main/java22"}) {
                    Path src = m.resolve(root);
                    if (Files.isDirectory(src)) {
                        try (Stream<Path> files = Files.walk(src)) {
                            files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyPublicTypeStatesItsThreadingContract() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path f : mainSources()) {
            String src = Files.readString(f);
            Matcher m = PUBLIC_TYPE.matcher(src);
            if (m.find()) {
                String before = src.substring(0, m.start());
                int doc = before.lastIndexOf("/**");
                if (doc < 0 || !before.substring(doc).contains("Threading")) {
                    missing.add(f.getFileName() + " (" + m.group(1) + ")");
                }
            }
        }
        assertThat(missing).as("public types without a Threading paragraph in their javadoc").isEmpty();
    }

    @Test
    void apiPackagesDoNotLeakInternalTypes() throws IOException {
        List<String> leaks = new ArrayList<>();
        Pattern publicMember = Pattern.compile("(?m)^\\s+public\\s+[^=;{]*(?:\\(|\\{)");
        for (Path f : mainSources()) {
            String path = f.toString().replace('\\', '/');
            if (path.contains("/internal/")) {
                continue;
            }
            String src = Files.readString(f);
            Matcher m = publicMember.matcher(src);
            while (m.find()) {
                String sig = m.group();
                for (String imp : internalImports(src)) {
                    String simple = imp.substring(imp.lastIndexOf('.') + 1);
                    if (Pattern.compile("\\b" + simple + "\\b").matcher(sig).find()) {
                        leaks.add(f.getFileName() + ": " + sig.trim());
                    }
                }
            }
        }
        assertThat(leaks).as("public signatures in API packages naming internal types").isEmpty();
    }

    private static List<String> internalImports(String src) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^import\\s+(io\\.eventide\\.[\\w.]*\\.internal\\.[\\w.]+);").matcher(src);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
