package io.eventide.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed lab results ({@code docs/lab/results.json}, with the blocking-route cells of
 * {@code docs/lab/blocking/results.json} added; rendered by today's code) read at phone
 * (390 px) and desktop (1280 px) width in headless Chromium through Playwright
 * ({@code src/test/e2e/report-layout.e2e.js}): the page never scrolls sideways and nothing outside
 * a horizontally scrolling table box is wider than the viewport. Screenshots go to
 * {@code target/screenshots}. Debian's chromium and playwright-core are installed when missing, or
 * the test fails saying how to get them.
 */
class ReportLayoutIT {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @TempDir
    Path dir;

    @Test
    void theReportFitsPhoneAndDesktopWidths() throws Exception {
        ensureChromium();
        Path nodeModules = playwright();
        Results results = committed();
        Path page = dir.resolve("report.html");
        Files.writeString(page, HtmlReport.render(results));
        Path shots = Files.createDirectories(Path.of("target", "screenshots")).toAbsolutePath();

        ProcessBuilder pb = new ProcessBuilder("node", Path.of("src", "test", "e2e", "report-layout.e2e.js")
                .toAbsolutePath().toString(), page.toUri().toString(), shots.toString()).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", nodeModules.toString());
        pb.environment().put("CHROMIUM", CHROMIUM.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // Bounded: a browser that hangs fails the test instead of holding CI.
        if (!p.waitFor(8, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("playwright did not finish in 8 minutes:\n" + out);
        }
        assertThat(out).as("playwright run (exit %d)", p.exitValue()).contains("e2e: all passed");
        assertThat(shots.resolve("lab-report-390.png")).exists();
        assertThat(shots.resolve("lab-report-1280.png")).exists();
    }

    /** @return the committed full run, with the committed blocking-route run's cells and notes */
    static Results committed() throws IOException {
        Results main = ResultsJson.read(Path.of("..", "docs", "lab", "results.json"));
        Results blocking = ResultsJson.read(Path.of("..", "docs", "lab", "blocking", "results.json"));
        List<Cell> cells = new ArrayList<>(main.cells());
        cells.addAll(blocking.cells());
        List<String> notes = new ArrayList<>(main.notes());
        notes.addAll(blocking.notes());
        return new Results(main.meta(), notes, main.models(), cells);
    }

    @Test
    void theCommittedRunsIncludeTheBlockingRouteTables() throws IOException {
        List<String> ids = ReportTables.build(committed()).stream().map(Table::id).toList();
        assertThat(ids).contains("plaintext-rps", "blocking-sleep", "blocking-jdbc");
    }

    @Test
    void everyTableSitsInABoxThatScrollsOnItsOwn() {
        String html = HtmlReport.render(SampleResults.build());
        int tables = html.split("<table", -1).length - 1;
        assertThat(tables).isPositive();
        assertThat(html.split("<div class='wide'><table", -1).length - 1).isEqualTo(tables);
    }

    private static void ensureChromium() throws Exception {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        assertThat(root && Files.isExecutable(Path.of("/usr/bin/apt-get")))
                .as("this test needs Debian's chromium at %s: install it with 'apt-get install chromium'", CHROMIUM)
                .isTrue();
        run("apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-q");
        run("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "chromium");
    }

    /** @return a node_modules directory holding playwright-core (shared with the demo's browser test) */
    private static Path playwright() throws Exception {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "eventide-e2e");
        if (!Files.isDirectory(cache.resolve("node_modules/playwright-core"))) {
            Files.createDirectories(cache);
            run("npm", "install", "--prefix", cache.toString(), "--no-audit", "--no-fund", "--loglevel=error",
                    "playwright-core@1");
        }
        return cache.resolve("node_modules");
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cmd));
        Process p;
        try {
            p = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd[0] + " (needed to install this test's tools): " + e.getMessage(), e);
        }
        assertThat(p.waitFor()).as("%s failed; see the output above", String.join(" ", command)).isZero();
    }
}
