package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure of eventide-http, enforced (docs/design/http.md): read from the sources' imports
 * and same-package references, no tool needed.
 *
 * <pre>
 *   API facades and entry points (HttpServer, HttpRequest, HttpResponse, WebSockets, LocalTopic, ...)
 *        │                          (types of io.eventide.http[.x] that import an internal package)
 *        ▼
 *   internal.server  internal.client  internal.websocket  internal.sse  internal.multipart ...
 *        │                 │
 *        ▼                 ▼
 *   internal.codec   (pure: bytes ⇄ messages; imports nothing of the module outside itself)
 *
 *   API values and contracts (HttpHeaders, HttpOptions, HttpLimits, HttpException, WebSocket,
 *   SseStream, spi.*): import no internal package, may be used by every layer
 * </pre>
 */
class ArchitectureTest {
    private static final String BASE = "io.eventide.http";
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?(io\\.eventide\\.http[\\w.]*?)\\.([A-Z]\\w*)");
    private static final Pattern TYPE_USE = Pattern.compile("\\b([A-Z]\\w*)\\b");

    /** Fully qualified type name to its source. */
    static final Map<String, String> SOURCES = new TreeMap<>();
    /** Fully qualified type name to the module types it depends on. */
    static final Map<String, Set<String>> DEPS = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        Path root = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")
                    && !p.endsWith("module-info.java")).toList()) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                SOURCES.put(rel.substring(0, rel.length() - 5).replace('/', '.'), Files.readString(f));
            }
        }
        for (Map.Entry<String, String> e : SOURCES.entrySet()) {
            DEPS.put(e.getKey(), dependencies(e.getKey(), e.getValue()));
        }
    }

    private static Set<String> dependencies(String type, String src) {
        Set<String> out = new TreeSet<>();
        Matcher m = IMPORT.matcher(src);
        while (m.find()) {
            String name = m.group(1) + "." + m.group(2);
            if (SOURCES.containsKey(name)) {
                out.add(name);
            }
        }
        String pkg = packageOf(type);
        String body = src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        Matcher u = TYPE_USE.matcher(body);
        while (u.find()) {
            String same = pkg + "." + u.group(1);
            if (!same.equals(type) && SOURCES.containsKey(same)) {
                out.add(same);
            }
        }
        return out;
    }

    static String packageOf(String type) {
        return type.substring(0, type.lastIndexOf('.'));
    }

    static boolean isInternal(String type) {
        return type.startsWith(BASE + ".internal.");
    }

    /** API types that reach into internals (facades, entry points), and those that name them (Handler). */
    static final Set<String> FACADES = new TreeSet<>();

    /** An API type of the facade layer. */
    static boolean isFacade(String type) {
        if (FACADES.isEmpty()) {
            DEPS.forEach((t, deps) -> {
                if (!isInternal(t) && deps.stream().anyMatch(ArchitectureTest::isInternal)) {
                    FACADES.add(t);
                }
            });
            for (boolean grew = true; grew; ) {
                grew = false;
                for (Map.Entry<String, Set<String>> e : DEPS.entrySet()) {
                    if (!isInternal(e.getKey()) && !FACADES.contains(e.getKey())
                            && e.getValue().stream().anyMatch(FACADES::contains)) {
                        grew = FACADES.add(e.getKey());
                    }
                }
            }
        }
        return FACADES.contains(type);
    }

    @Test
    void theCodecIsPure() {
        List<String> bad = new ArrayList<>();
        DEPS.forEach((type, deps) -> {
            if (type.startsWith(BASE + ".internal.codec.")) {
                deps.stream().filter(d -> !d.startsWith(BASE + ".internal.codec.")).forEach(d -> bad.add(type + " -> " + d));
            }
        });
        assertThat(bad).as("the codec (bytes ⇄ messages) must not depend on the rest of the module").isEmpty();
    }

    @Test
    void internalsNeverPointAtFacades() {
        List<String> bad = new ArrayList<>();
        DEPS.forEach((type, deps) -> {
            if (isInternal(type)) {
                deps.stream().filter(ArchitectureTest::isFacade).forEach(d -> bad.add(type + " -> " + d));
            }
        });
        assertThat(bad).as("internals may use API values and contracts, never the facades that wrap them").isEmpty();
    }

    @Test
    void noCycleBetweenPackagesOnceFacadesAndValuesAreApart() {
        // Each API package splits in two layers: its facades (above the internals) and its values.
        Map<String, Set<String>> graph = new HashMap<>();
        DEPS.forEach((type, deps) -> {
            String from = layer(type);
            for (String d : deps) {
                String to = layer(d);
                if (!to.equals(from)) {
                    graph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        });
        List<String> cycle = findCycle(graph);
        assertThat(cycle).as("a cycle between packages (facades and values counted apart)").isEmpty();
    }

    private static String layer(String type) {
        String pkg = packageOf(type);
        return isInternal(type) ? pkg : pkg + (isFacade(type) ? " (facades)" : " (values)");
    }

    private static List<String> findCycle(Map<String, Set<String>> graph) {
        Set<String> done = new HashSet<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> c = dfs(start, graph, path, new HashSet<>(), done);
            if (!c.isEmpty()) {
                return c;
            }
        }
        return List.of();
    }

    private static List<String> dfs(String n, Map<String, Set<String>> graph, List<String> path, Set<String> onPath,
            Set<String> done) {
        if (onPath.contains(n)) {
            return new ArrayList<>(path.subList(path.indexOf(n), path.size()));
        }
        if (!done.add(n)) {
            return List.of();
        }
        path.add(n);
        onPath.add(n);
        for (String next : graph.getOrDefault(n, Set.of())) {
            List<String> c = dfs(next, graph, path, onPath, done);
            if (!c.isEmpty()) {
                return c;
            }
        }
        onPath.remove(n);
        path.remove(path.size() - 1);
        return List.of();
    }

    @Test
    void theModuleExportsNoInternalPackage() throws IOException {
        String moduleInfo = Files.readString(Path.of("src/main/java/module-info.java"));
        assertThat(moduleInfo).as("module-info exports API and SPI only")
                .doesNotContainPattern("(?m)^\\s*exports\\s+io\\.eventide\\.http\\.internal[\\w.]*\\s*;");
    }

    @Test
    void theServerEngineIsInRoomsOfAtMost400Lines() {
        List<String> big = new ArrayList<>();
        SOURCES.forEach((type, src) -> {
            long lines = src.lines().count();
            if (type.startsWith(BASE + ".internal.server.") && lines > 400) {
                big.add(type + ": " + lines);
            }
        });
        assertThat(big).isEmpty();
    }
}
