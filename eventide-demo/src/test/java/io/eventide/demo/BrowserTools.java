package io.eventide.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Installs what the browser tests need when the machine lacks it, or fails with a clear message:
 * Debian's {@code chromium} (apt) and {@code playwright-core} (npm registry) — never a browser
 * download.
 */
final class BrowserTools {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private BrowserTools() {
    }

    static Path chromium() throws Exception {
        if (Files.isExecutable(CHROMIUM)) {
            return CHROMIUM;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        assertThat(root && Files.isExecutable(Path.of("/usr/bin/apt-get")))
                .as("browser tests need Debian's chromium at %s: install it with 'apt-get install chromium'", CHROMIUM)
                .isTrue();
        if (run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "chromium")) != 0) {
            run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-q"));
            assertThat(run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "chromium")))
                    .as("apt-get install chromium failed; see the output above").isZero();
        }
        return CHROMIUM;
    }

    /** @return a node_modules directory holding playwright-core */
    static Path playwright() throws Exception {
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "eventide-e2e");
        if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            Files.createDirectories(dir);
            int rc = run(List.of("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
                    "--loglevel=error", "playwright-core@1"));
            assertThat(rc).as("npm install playwright-core failed (needs Node.js/npm and the npm registry)").isZero();
        }
        return dir.resolve("node_modules");
    }

    static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            System.err.println(String.join(" ", cmd) + " exited " + rc + ":\n" + out);
        }
        return rc;
    }

    /**
     * Runs {@code src/test/e2e/demo.e2e.js} against {@code base} in headless Chromium and checks
     * that it passed; its output is echoed with {@code prefix}. Bounded: a browser that hangs fails
     * the test with its output instead of hanging CI.
     *
     * @param base the demo's URL
     * @param shots where screenshots go
     * @param env extra environment (E2E_TLS=1 for the https run)
     * @param prefix marks the echoed lines
     */
    static void runDemoE2e(String base, Path shots, java.util.Map<String, String> env, String prefix) throws Exception {
        runE2e("demo.e2e.js", base, shots, env, prefix);
    }

    /**
     * Runs {@code src/test/e2e/<script>} against {@code base}, as {@link #runDemoE2e} does.
     *
     * @param script0 the script's file name
     * @param base the demo's URL
     * @param shots where screenshots go
     * @param env extra environment for the script
     * @param prefix marks the echoed lines
     */
    static void runE2e(String script0, String base, Path shots, java.util.Map<String, String> env, String prefix) throws Exception {
        Path script = Path.of("src", "test", "e2e", script0).toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), base, shots.toString()).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", playwright().toString());
        pb.environment().put("CHROMIUM", chromium().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        java.util.List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    System.out.println(prefix + l);
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                lines.add("(output closed: " + e + ")");
            }
        });
        if (!p.waitFor(8, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("playwright run did not finish in 8 minutes:\n" + String.join("\n", lines));
        }
        reader.join(java.time.Duration.ofSeconds(30));
        org.assertj.core.api.Assertions.assertThat(p.exitValue()).as("playwright run:\n%s", String.join("\n", lines))
                .isZero();
        org.assertj.core.api.Assertions.assertThat(lines).contains("e2e: all passed");
    }
}
