package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Node.js peers for interoperability tests: installs the {@code ws} and {@code eventsource} npm
 * packages once into {@code target/node-peers} and runs scripts with them. Fails (never skips) with
 * a clear message when node or npm is missing: these tests are the evidence that we interoperate.
 */
public final class NodePeers {
    private static final Path DIR = Path.of("target", "node-peers").toAbsolutePath();
    private static boolean installed;

    private NodePeers() {
    }

    /** @return the node_modules directory with ws@8 and eventsource@2 */
    public static synchronized Path modules() throws IOException, InterruptedException {
        Path modules = DIR.resolve("node_modules");
        if (!installed && !(Files.isDirectory(modules.resolve("ws")) && Files.isDirectory(modules.resolve("eventsource")))) {
            Files.createDirectories(DIR);
            Process p = start(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", DIR.toString(),
                    "ws@8", "eventsource@2"), "npm");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("npm install finished").isTrue();
            assertThat(p.exitValue()).as("npm install ws@8 eventsource@2 failed:\n%s", out).isZero();
        }
        installed = true;
        return modules;
    }

    /**
     * Runs {@code script} with node; returns its stdout lines once it exits with 0.
     *
     * @param script JavaScript source
     * @param args passed as process.argv[2...]
     */
    public static List<String> run(String script, String... args) throws IOException, InterruptedException {
        Path modules = modules();
        Path file = Files.createTempFile(DIR, "peer", ".js");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of("node", file.toString()));
        cmd.addAll(List.of(args));
        Process p = node(modules, cmd);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node script finished").isTrue();
        Files.deleteIfExists(file);
        assertThat(p.exitValue()).as("node script failed:\n%s", out).isZero();
        return out.lines().toList();
    }

    /**
     * Starts {@code script} as a long-running peer (a server) and returns it with its first line of
     * output (typically the port it bound). The caller destroys it.
     */
    public static Peer spawn(String script, String... args) throws IOException, InterruptedException {
        Path modules = modules();
        Path file = Files.createTempFile(DIR, "peer", ".js");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of("node", file.toString()));
        cmd.addAll(List.of(args));
        Process p = node(modules, cmd);
        java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = r.readLine();
        assertThat(first).as("the node peer's first line").isNotNull();
        return new Peer(p, first, file);
    }

    /** A running node process and its first output line. */
    public record Peer(Process process, String firstLine, Path script) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            process.destroy();
            Files.deleteIfExists(script);
        }
    }

    private static Process node(Path modules, List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError("node is required for the interoperability tests and was not found on the PATH"
                    + " (install Node.js 18+)", e);
        }
    }

    private static Process start(List<String> cmd, String tool) {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(tool + " is required for the interoperability tests and was not found on the PATH"
                    + " (install Node.js 18+ with npm)", e);
        }
    }
}
