package io.eventide.lab;

import io.eventide.lab.report.Cell;
import io.eventide.lab.report.Findings;
import io.eventide.lab.report.Fmt;
import io.eventide.lab.report.HtmlReport;
import io.eventide.lab.report.MarkdownReport;
import io.eventide.lab.report.ReportTables;
import io.eventide.lab.report.Results;
import io.eventide.lab.report.ResultsJson;
import io.eventide.lab.report.Stat;
import io.eventide.lab.report.TerminalTable;
import io.eventide.lab.report.Workloads;
import io.eventide.lab.run.BlockingWorkload;
import io.eventide.lab.run.Campaign;
import io.eventide.lab.run.ClassPathSnapshot;
import io.eventide.lab.run.Environment;
import io.eventide.lab.run.IdleWorkload;
import io.eventide.lab.run.MachineInfo;
import io.eventide.lab.run.Progress;
import io.eventide.lab.run.ServerModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./eventide bench}: serves the standard workload with every serving model, measures each
 * side by side on this machine, prints the tables, and writes {@code results.json},
 * {@code report.md} and {@code report.html}.
 *
 * <pre>
 *  Lab (this process, light)
 *   |-- servers: one child per model (JVM or node), pinned to the server CPUs
 *   |-- wrk / the lab's driver: children pinned to the load CPUs
 *   '-- results -&gt; terminal table, results.json, report.md, report.html
 * </pre>
 *
 * <p>See {@link LabOptions#USAGE} for the options.
 *
 * <p><b>Threading:</b> a process entry point; the run is sequential on the main thread.
 */
public final class Lab {
    /** Set in the relaunched JVM, which runs from a copy of the class path. */
    static final String SNAPSHOT = "eventide.lab.snapshot";

    private Lab() {
    }

    /**
     * Runs the lab in a child JVM whose class path is a private copy of this one (see
     * {@link ClassPathSnapshot}), so that a rebuild in the work tree during the run changes
     * nothing under test.
     *
     * @return the child's exit status
     */
    private static int relaunchFromSnapshot(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("eventide-lab-cp-");
        String cp = ClassPathSnapshot.copy(System.getProperty("java.class.path"), dir);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseParallelGC", "-D" + SNAPSHOT + "=" + dir, "-cp", cp, Lab.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy)); // Ctrl-C: stop the run, then its children
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            return 130;
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary copy left behind costs disk space only; the run's outcome stands.
        }
    }

    /**
     * @param args see {@link LabOptions#USAGE}
     * @throws IOException when the output cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(LabOptions.USAGE);
            return;
        }
        LabOptions o;
        try {
            o = LabOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("lab: " + e.getMessage() + "\n" + LabOptions.USAGE);
            System.exit(2);
            return;
        }
        if (o.report() == null && System.getProperty(SNAPSHOT) == null) {
            System.exit(relaunchFromSnapshot(args));
            return;
        }
        Results results = o.report() != null ? ResultsJson.read(o.report()) : measure(o, System.err);
        write(results, o.out());
        System.out.println();
        System.out.print(TerminalTable.render(ReportTables.build(results)));
        System.out.println("Findings:");
        Findings.of(results).forEach(f -> System.out.println("  - " + f));
        System.out.println("\nWrote " + o.out().resolve("report.html") + ", report.md and results.json");
    }

    /**
     * Runs every workload of {@code o}.
     *
     * @param o options
     * @param log where progress and problems go
     * @return the results
     * @throws IOException when the environment cannot be set up
     */
    public static Results measure(LabOptions o, PrintStream log) throws IOException {
        ZonedDateTime started = ZonedDateTime.now();
        Environment env = Environment.detect(o.pin(), o.serverCpus(), o.loadCpus(),
                o.runs(Workloads.PLAINTEXT) || o.runs(Workloads.JSON) || o.runs(Workloads.DELAY), log);
        List<ServerModel> models = ServerModel.catalogue(env.serverCores(), env.node() != null).stream()
                .filter(m -> o.includes(m.id())).toList();
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model selected; known: eventide-1, eventide-n, vertx, node, "
                    + "jetty, helidon");
        }
        Campaign campaign = new Campaign(o, env, models, log);
        IdleWorkload idle = new IdleWorkload(o, env, models, log);
        BlockingWorkload blocking = new BlockingWorkload(o, env, models, log);
        boolean shared = campaign.hasWork();
        double estimate = (shared ? campaign.estimateSeconds() : 0)
                + (o.runs(Workloads.BLOCKING) ? blocking.estimateSeconds() : 0)
                + (o.runs(Workloads.IDLE) ? idle.estimateSeconds() : 0);
        log.printf("lab: %d models, %s run, about %s minutes; logs in %s%n", models.size(),
                o.quick() ? "quick" : "full", Fmt.num(estimate / 60), env.scratch());
        long t0 = System.nanoTime();
        try (Progress progress = new Progress(log, estimate, isTerminal())) {
            if (shared) {
                campaign.run(progress);
            }
            if (o.runs(Workloads.BLOCKING)) {
                blocking.run(progress);
            }
            if (o.runs(Workloads.IDLE)) {
                idle.run(progress);
            }
            progress.finish();
        }
        List<Cell> cells = new ArrayList<>(campaign.cells());
        cells.addAll(blocking.cells());
        cells.addAll(idle.cells());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("date", started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
        meta.putAll(MachineInfo.describe(env));
        String cell = shared ? " s per throughput cell (+" + (o.quick() ? 1 : 3) + " s at 5,000+ connections)"
                : " s per cell";
        meta.put("run", (o.quick() ? "--quick" : "full") + ": " + o.reps() + " repetition(s), " + o.seconds()
                + cell + ", took " + Fmt.num((System.nanoTime() - t0) / 60e9) + " min");
        if (!o.workloads().isEmpty()) {
            meta.put("workloads", String.join(", ", LabOptions.ALL_WORKLOADS.stream().filter(o::runs).toList())
                    + " (--workloads)");
        }
        List<Double> loads = java.util.stream.Stream.concat(campaign.loads().stream(), blocking.loads().stream())
                .filter(l -> l >= 0).toList();
        if (!loads.isEmpty()) {
            Stat l = Stat.of(loads.stream().mapToDouble(Double::doubleValue).toArray());
            meta.put("load average during the run", "median " + Fmt.num(l.median()) + ", min " + Fmt.num(l.min())
                    + ", max " + Fmt.num(l.max()) + " (1-minute; the lab itself adds about 2)");
        }
        List<String> notes = new ArrayList<>(o.notes());
        notes.addAll(env.notes());
        notes.addAll(campaign.notes());
        notes.addAll(blocking.notes());
        notes.addAll(idle.notes());
        return new Results(meta, notes, models.stream().map(ServerModel::describe).toList(), cells);
    }

    /**
     * Writes {@code results.json}, {@code report.md} and {@code report.html} into {@code dir}.
     *
     * @param r results
     * @param dir output directory (created)
     * @throws IOException when it cannot be written
     */
    public static void write(Results r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), ResultsJson.write(r));
        Files.writeString(dir.resolve("report.md"), MarkdownReport.render(r));
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(r));
    }

    /** @return whether standard error is a terminal (JDK 22+ knows; before, a console means one) */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: System.console() is null unless attached to a terminal
        }
    }
}
