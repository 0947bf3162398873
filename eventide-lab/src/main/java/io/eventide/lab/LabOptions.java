package io.eventide.lab;

import io.eventide.lab.report.Workloads;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The settings of one lab run, from the command line. {@code --quick} shortens every cell and runs
 * each once, to finish in under five minutes; the default run repeats each cell three times and
 * finishes in under 45 minutes on a two-core machine.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param quick the short run
 * @param reps repetitions per cell
 * @param seconds length of a throughput cell, seconds
 * @param warmSeconds warm-up per server and endpoint before measuring, seconds
 * @param out output directory
 * @param models model ids to run (empty: all)
 * @param workloads workloads to run (empty: all)
 * @param pin pin servers and load to separate CPUs
 * @param serverCpus the servers' CPU list, or null for the first half
 * @param loadCpus the load's CPU list, or null for the second half
 * @param report a {@code results.json} to render again instead of measuring, or null
 * @param notes remarks to print in the report
 * @param pgUrl JDBC URL of the PostgreSQL the blocking workload queries
 */
public record LabOptions(boolean quick, int reps, int seconds, int warmSeconds, Path out, Set<String> models,
        Set<String> workloads, boolean pin, String serverCpus, String loadCpus, Path report, List<String> notes,
        String pgUrl) {

    /** The blocking workload's database unless {@code --pg-url} says otherwise: the machine's, trust auth. */
    public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    /** Every workload, in run order. */
    public static final List<String> ALL_WORKLOADS = List.of(Workloads.PLAINTEXT, Workloads.JSON, Workloads.DELAY,
            Workloads.OPEN, Workloads.CPU_MIX, Workloads.BLOCKING, Workloads.IDLE);

    /** The usage text. */
    public static final String USAGE = """
            usage: ./eventide bench [--quick] [--out DIR] [--reps N] [--seconds S] [--models a,b]
                                    [--workloads w,x] [--server-cpus LIST] [--load-cpus LIST] [--no-pin]
                                    [--note TEXT]... [--pg-url JDBC-URL]
                   ./eventide bench --report results.json [--out DIR]

              --quick        one repetition of short cells: under 5 minutes
              --out DIR      where results.json, report.md and report.html go
                             (default: target/lab/<date-time>)
              --reps N       repetitions per cell (default 3; --quick: 1)
              --seconds S    length of a throughput cell (default 5; --quick: 2)
              --models       any of eventide-1, eventide-n, vertx, node, jetty, helidon (default: all)
              --workloads    any of plaintext, json, delay, open, cpu-mix, blocking, idle (default: all)
                             blocking: a 20 ms sleep and a JDBC query, each on the event loop,
                             offloaded, and on a virtual thread (Eventide models only);
                             --quick --workloads blocking --models eventide-1 takes under a minute
              --server-cpus  CPUs for the servers, e.g. 0 or 0-3 (default: the first half)
              --load-cpus    CPUs for the load generators (default: the second half)
              --no-pin       do not pin processes with taskset
              --note TEXT    a remark printed with the report (repeatable)
              --report FILE  render report.md and report.html again from a results.json
              --pg-url URL   the PostgreSQL of the blocking workload's JDBC query, where the lab
                             makes and drops its own table
                             (default: jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres)
            """;

    /** Validates. */
    public LabOptions {
        models = Set.copyOf(models);
        workloads = Set.copyOf(workloads);
        notes = List.copyOf(notes);
        if (reps < 1 || seconds < 1 || warmSeconds < 0) {
            throw new IllegalArgumentException("--reps and --seconds must be >= 1");
        }
        for (String w : workloads) {
            if (!ALL_WORKLOADS.contains(w)) {
                throw new IllegalArgumentException("unknown workload '" + w + "'; known: " + ALL_WORKLOADS);
            }
        }
    }

    /**
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException on a bad argument, with a message for the user
     */
    public static LabOptions parse(String... args) {
        boolean quick = false;
        Integer reps = null;
        Integer seconds = null;
        Path out = null;
        Set<String> models = new LinkedHashSet<>();
        Set<String> workloads = new LinkedHashSet<>();
        boolean pin = true;
        String serverCpus = null;
        String loadCpus = null;
        Path report = null;
        List<String> notes = new ArrayList<>();
        String pgUrl = DEFAULT_PG_URL;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--no-pin" -> pin = false;
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--reps" -> reps = Integer.parseInt(value(args, ++i, a));
                case "--seconds" -> seconds = Integer.parseInt(value(args, ++i, a));
                case "--models" -> models.addAll(List.of(value(args, ++i, a).split(",")));
                case "--workloads" -> workloads.addAll(List.of(value(args, ++i, a).split(",")));
                case "--server-cpus" -> serverCpus = value(args, ++i, a);
                case "--load-cpus" -> loadCpus = value(args, ++i, a);
                case "--report" -> report = Path.of(value(args, ++i, a));
                case "--note" -> notes.add(value(args, ++i, a));
                case "--pg-url" -> pgUrl = value(args, ++i, a);
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (out == null) {
            out = Path.of("target", "lab", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return new LabOptions(quick, reps != null ? reps : quick ? 1 : 3, seconds != null ? seconds : quick ? 2 : 5,
                quick ? 1 : 2, out, models, workloads, pin, serverCpus, loadCpus, report, notes, pgUrl);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** @param w a workload @return whether this run includes it */
    public boolean runs(String w) {
        return workloads.isEmpty() || workloads.contains(w);
    }

    /** @param id a model id @return whether this run includes it */
    public boolean includes(String id) {
        return models.isEmpty() || models.contains(id);
    }

    /**
     * @param workload {@code plaintext} or {@code json}
     * @return its connection levels ({@code --quick}: JSON at 1,000 only)
     */
    public List<Integer> throughputLevels(String workload) {
        return quick && workload.equals(Workloads.JSON) ? List.of(1_000) : List.of(50, 1_000, 10_000);
    }

    /** @return connection levels of the delay workload ({@code --quick}: three of the four) */
    public List<Integer> delayLevels() {
        return quick ? List.of(100, 1_000, 10_000) : List.of(100, 1_000, 5_000, 10_000);
    }

    /** @return connection levels of the idle workload ({@code --quick}: the smallest and the largest) */
    public List<Integer> idleLevels() {
        return quick ? List.of(1_000, 15_000) : List.of(1_000, 5_000, 15_000);
    }

    /**
     * @return arrival rate of the blocking workload, req/s: within a virtual-thread route's reach,
     *     past one loop's (50/s for a 20 ms sleep) and, for the sleep, past the worker pool's
     */
    public int blockingRate() {
        return 300;
    }

    /** @return arrival rates of the open-model workload, req/s ({@code --quick}: one) */
    public List<Integer> openRates() {
        return quick ? List.of(5_000) : List.of(1_000, 5_000, 10_000);
    }

    /**
     * @param connections a connection level
     * @return the cell length: longer at 5,000 connections and more, where connecting takes a while
     */
    public int cellSeconds(int connections) {
        return connections >= 5_000 ? seconds + (quick ? 1 : 3) : seconds;
    }
}
