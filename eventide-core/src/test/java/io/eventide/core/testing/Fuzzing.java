package io.eventide.core.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one Jazzer fuzz target in a child JVM, on the class path of the JVM that calls it (module
 * path entries included, so it works from tests that run on the module path). The target is a
 * class with a {@code public static void fuzzerTestOneInput(byte[])}; any exception escaping it is
 * a finding, and so is an input running past {@link #INPUT_TIMEOUT_SECONDS} (an endless loop).
 *
 * <p>Seeds are read from {@code src/test/resources/fuzz/<Target>/} of the calling module (run
 * first, every run: crash reproducers committed there are regression tests); inputs found to add
 * coverage go to {@code target/fuzz/<Target>/corpus}; a crash leaves {@code crash-*} and a Java
 * reproducer in {@code target/fuzz/<Target>/}.
 *
 * <p>A child JVM rather than {@code @FuzzTest}: Jazzer's JUnit integration instruments classes
 * through an agent on the class path and does not cope with tests patched into a named module.
 *
 * <p>{@link #main} is what {@code fuzz/run.sh} calls for longer runs.
 *
 * <p><b>Threading:</b> any thread; {@link #run} blocks until the child ends.
 */
public final class Fuzzing {
    /** An input that runs longer than this is reported as a hang (libFuzzer {@code -timeout}). */
    public static final int INPUT_TIMEOUT_SECONDS = 10;

    private static final Pattern COVERAGE = Pattern.compile("cov: (\\d+) ft: (\\d+)");
    private static final Pattern EXECUTIONS = Pattern.compile("stat::number_of_executed_units: (\\d+)");

    private Fuzzing() {
    }

    /** @return seconds each target fuzzes inside the test suite: {@code eventide.fuzz.seconds}, default 3 */
    public static int suiteSeconds() {
        return Integer.getInteger("eventide.fuzz.seconds", 3);
    }

    /**
     * What one run did.
     *
     * @param target the target class
     * @param seconds the time it was given
     * @param executions inputs executed
     * @param edges covered edges ({@code cov})
     * @param features covered features ({@code ft})
     * @param findings 0, or 1 when the run stopped on a crash, a hang or a failed property
     * @param exitCode the child's exit code
     * @param log the child's output
     */
    public record Outcome(String target, int seconds, long executions, int edges, int features, int findings,
            int exitCode, String log) {
        /** @return one line: target, executions, coverage and findings */
        public String summary() {
            return String.format("%-56s %5ds  executions=%-10d edges=%-6d features=%-6d findings=%d",
                    target, seconds, executions, edges, features, findings);
        }

        /** @return the lines of the log that describe the finding, if any */
        public String finding() {
            int at = log.indexOf("== Java Exception");
            if (at < 0) {
                at = Math.max(log.indexOf("ERROR: libFuzzer"), log.indexOf("==ERROR"));
            }
            return at < 0 ? log.substring(Math.max(0, log.length() - 4000)) : log.substring(at, Math.min(log.length(), at + 6000));
        }
    }

    /**
     * Fuzzes {@code target} for {@code seconds}, from the calling module's directory, growing the
     * corpus kept in {@code target/fuzz/<Target>/corpus} (what {@code fuzz/run.sh} does).
     *
     * @param target the fuzz target class (in the caller's test sources)
     * @param seconds how long to fuzz after the seeds ran
     * @return what happened
     * @throws IOException if the child cannot be started
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static Outcome run(String target, int seconds) throws IOException, InterruptedException {
        return run(target, seconds, true);
    }

    /**
     * Fuzzes {@code target} in the test suite: from the committed seeds alone, with a fresh corpus,
     * so that a build's time and outcome do not depend on what earlier long runs left in
     * {@code target/}.
     *
     * @param target the fuzz target class (in the caller's test sources)
     * @return what happened
     * @throws IOException if the child cannot be started
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static Outcome runInSuite(String target) throws IOException, InterruptedException {
        return run(target, suiteSeconds(), false);
    }

    private static Outcome run(String target, int seconds, boolean keepCorpus) throws IOException,
            InterruptedException {
        String simple = target.substring(target.lastIndexOf('.') + 1);
        Path base = Path.of("").toAbsolutePath();
        Path seeds = base.resolve("src/test/resources/fuzz").resolve(simple);
        Path work = base.resolve("target/fuzz").resolve(simple);
        Path corpus = work.resolve(keepCorpus ? "corpus" : "suite-corpus");
        if (!keepCorpus && Files.isDirectory(corpus)) {
            try (var files = Files.list(corpus)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(corpus);
        Files.createDirectories(seeds);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xss1m");
        cmd.add("-Xmx1g");
        cmd.add("-XX:+UseParallelGC");
        cmd.add("-XX:+EnableDynamicAgentLoading");
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow"); // Jazzer's bundled classgraph; JDK 23+ only
        }
        cmd.add("-cp");
        cmd.add(classPath(base));
        cmd.add("com.code_intelligence.jazzer.Jazzer");
        cmd.add("--target_class=" + target);
        cmd.add("--instrumentation_includes=io.eventide.**");
        cmd.add("--reproducer_path=" + work);
        cmd.add("-max_total_time=" + seconds);
        cmd.add("-timeout=" + INPUT_TIMEOUT_SECONDS);
        cmd.add("-rss_limit_mb=2048");
        cmd.add("-max_len=8192");
        cmd.add("-print_final_stats=1");
        cmd.add("-artifact_prefix=" + work + File.separator);
        cmd.add(corpus.toString());
        cmd.add(seeds.toString());
        Path logFile = work.resolve("fuzz.log");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start();
        // Seeds, JVM start and instrumentation come on top of the fuzzing time; a child that
        // outlives this margin is stuck in a way libFuzzer's own timeout did not catch.
        if (!p.waitFor(seconds + 180L, TimeUnit.SECONDS)) { // blocking-ok: tests and fuzz/run.sh only
            p.destroyForcibly().waitFor(); // blocking-ok
            return outcome(target, seconds, 1, -1, Files.readString(logFile, StandardCharsets.UTF_8)
                    + "\n==ERROR: the fuzzer did not end within " + (seconds + 180) + " s");
        }
        return outcome(target, seconds, 0, p.exitValue(), Files.readString(logFile, StandardCharsets.UTF_8));
    }

    private static Outcome outcome(String target, int seconds, int stuck, int exitCode, String log) {
        long executions = 0;
        Matcher m = EXECUTIONS.matcher(log);
        while (m.find()) {
            executions = Long.parseLong(m.group(1));
        }
        int edges = 0;
        int features = 0;
        m = COVERAGE.matcher(log);
        while (m.find()) {
            edges = Integer.parseInt(m.group(1));
            features = Integer.parseInt(m.group(2));
        }
        int findings = stuck + (exitCode != 0 ? 1 : 0) > 0 ? 1 : 0;
        return new Outcome(target, seconds, executions, edges, features, findings, exitCode, log);
    }

    /**
     * Fails with the finding's description when the run found something, or ran nothing.
     *
     * @param o the outcome
     */
    public static void assertClean(Outcome o) {
        System.out.println("FUZZ " + o.summary());
        if (o.findings() != 0) {
            throw new AssertionError("fuzz target " + o.target() + " found a failing input (exit " + o.exitCode()
                    + "; reproducer under target/fuzz/):\n" + o.finding());
        }
        if (o.executions() == 0) {
            throw new AssertionError("fuzz target " + o.target() + " executed nothing:\n" + o.finding());
        }
    }

    /** The class path of this JVM with the module path's entries and this module's own classes. */
    static String classPath(Path base) {
        return String.join(File.pathSeparator, base.resolve("target/test-classes").toString(),
                base.resolve("target/classes").toString(), ChildJvm.classPath());
    }

    /**
     * {@code fuzz/run.sh}: fuzzes each named target in turn and prints one summary line each.
     *
     * @param args seconds, then the target classes
     * @throws Exception if a child cannot be run
     */
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int findings = 0;
        List<String> lines = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Outcome o = run(args[i], seconds);
            findings += o.findings();
            if (o.findings() != 0) {
                System.out.println(o.finding());
            }
            System.out.println("FUZZ " + o.summary());
            lines.add(o.summary());
        }
        System.out.println("---");
        lines.forEach(l -> System.out.println("FUZZ " + l));
        System.exit(findings == 0 ? 0 : 1);
    }
}
