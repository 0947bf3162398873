package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * What a team trying Eventide does first, from a fresh copy of this checkout and an EMPTY Maven
 * repository (a private {@code $HOME}, so {@code ~/.m2} starts empty and Maven downloads from
 * Maven Central like on a new machine):
 * <ol>
 *   <li>{@code ./eventide run examples/Hello.java} serves, and what it downloaded holds none of the
 *       lab's servers (Jetty, Helidon, Vert.x, Netty); the list is kept in
 *       {@code target/adoption/run-downloads.txt};</li>
 *   <li>{@code ./eventide install} installs the modules, the BOM, sources and javadoc jars;</li>
 *   <li>the minimal Maven project of {@code docs/library.md}, taken verbatim from the guide, builds
 *       against them and serves its route.</li>
 * </ol>
 * Slow by nature (two builds and downloads): one test class, steps in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class AdoptionIT {
    private static final List<String> LAB_GROUPS = List.of("org/eclipse/jetty", "io/helidon", "io/vertx", "io/netty");
    private static Path tmp;
    private static Path home;
    private static Path src;
    private static final List<Process> started = new ArrayList<>();
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void freshCloneAndEmptyRepository() throws Exception {
        tmp = Files.createTempDirectory("eventide-adoption");
        home = Files.createDirectories(tmp.resolve("home"));
        src = Files.createDirectories(tmp.resolve("src"));
        Path root = Path.of("").toAbsolutePath().getParent();
        // The files git would check out (tracked plus new, ignored ones left out): a fresh clone.
        Process ls = new ProcessBuilder("git", "ls-files", "-co", "--exclude-standard", "-z").directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String names = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ls.waitFor()).as("git ls-files in %s", root).isZero();
        for (String name : names.split("\0")) {
            Path from = root.resolve(name);
            if (!name.isEmpty() && Files.isRegularFile(from)) {
                Path to = src.resolve(name);
                Files.createDirectories(to.getParent());
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        assertThat(src.resolve("eventide")).isExecutable();
    }

    @AfterAll
    static void stopAndClean() throws IOException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (tmp != null) {
            try (Stream<Path> all = Files.walk(tmp)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void runHelloFromAnEmptyRepositoryDownloadsNoLabServer() throws Exception {
        Process p = start(src, List.of("./eventide", "run", "examples/Hello.java"));
        int port = awaitPort(p, Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        assertThat(get(port, "/")).startsWith("Hello from ");
        stop(p);

        List<String> downloaded = artifactsIn(home.resolve(".m2/repository"));
        Path report = Files.createDirectories(Path.of("target", "adoption")).resolve("run-downloads.txt");
        Files.write(report, downloaded);
        assertThat(downloaded).as("artifacts downloaded for ./eventide run (also in %s)", report.toAbsolutePath())
                .isNotEmpty()
                .noneMatch(a -> LAB_GROUPS.stream().anyMatch(a::startsWith));
        assertThat(src.resolve("eventide-lab/target")).as("the lab is not built for run").doesNotExist();
    }

    @Test
    @Order(2)
    void installPutsModulesBomSourcesAndJavadocIntoTheLocalRepository() throws Exception {
        Process p = start(src, List.of("./eventide", "install"));
        String out = drain(p);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("./eventide install:%n%s", out).isZero();
        Path eventide = home.resolve(".m2/repository/io/eventide");
        assertThat(eventide.resolve("eventide-bom/0.1.0-SNAPSHOT/eventide-bom-0.1.0-SNAPSHOT.pom")).isRegularFile();
        for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
            assertThat(eventide.resolve("eventide-http/0.1.0-SNAPSHOT/eventide-http-0.1.0-SNAPSHOT" + suffix)).isRegularFile();
        }
        assertThat(eventide.resolve("eventide-lab")).as("the lab is a tool, not installed").doesNotExist();
    }

    @Test
    @Order(3)
    void theGuidesMinimalProjectBuildsAndServes() throws Exception {
        String guide = Files.readString(src.resolve("docs/library.md"));
        Path app = Files.createDirectories(tmp.resolve("hello-eventide"));
        Files.writeString(app.resolve("pom.xml"), block(guide, "xml"));
        Path java = app.resolve("src/main/java/com/example/App.java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, block(guide, "java"));

        Process p = start(app, List.of("mvn", "-B", "-ntp", "-q", "compile", "exec:java"));
        int port = awaitPort(p, Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        assertThat(get(port, "/hello/adopter")).isEqualTo("Hello, adopter!\n");
        stop(p);
    }

    private static String block(String markdown, String lang) {
        Matcher m = Pattern.compile("```" + lang + "\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        assertThat(m.find()).as("docs/library.md has a ```%s block", lang).isTrue();
        return m.group(1);
    }

    private static List<String> artifactsIn(Path repo) throws IOException {
        try (Stream<Path> all = Files.walk(repo)) {
            return all.filter(f -> f.toString().endsWith(".jar"))
                    .map(f -> repo.relativize(f.getParent().getParent()).toString() + " " + f.getParent().getFileName())
                    .distinct().sorted().toList();
        }
    }

    private static Process start(Path dir, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        // An empty ~/.m2: everything is downloaded afresh. Maven finds ~ through the JVM's user.home
        // (from the password database, not $HOME), so both are pointed at the private home.
        env.put("HOME", home.toString());
        env.put("MAVEN_OPTS", "-Duser.home=" + home);
        env.put("PORT", "0");
        env.put("HOST", "127.0.0.1");
        env.remove("EVENTIDE_JAVA_OPTS");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Reads the process's output on a virtual thread until the pattern's port appears (bounded). */
    private static int awaitPort(Process p, Pattern listening) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("(output closed: " + e + ")");
            }
            lines.add("<eof>");
        });
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(30, TimeUnit.SECONDS);
            if (l == null) {
                continue;
            }
            if (l.equals("<eof>")) {
                break;
            }
            seen.append(l).append('\n');
            Matcher m = listening.matcher(l);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("never said it was listening; output:\n" + seen);
    }

    private static String drain(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String get(int port, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        var res = client.send(req, BodyHandlers.ofString());
        assertThat(res.statusCode()).as("GET %s", path).isEqualTo(200);
        return res.body();
    }

    private static void stop(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
