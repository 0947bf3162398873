package io.eventide.lab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the lab found on this machine: the JVM and class path its children inherit, the CPUs set
 * aside for the servers and for the load, and whether wrk, node and taskset are there. Missing
 * tools are installed where that is safe (wrk from the distribution's packages when running as
 * root) or else reported in {@link #notes()}, and the workloads that need them are skipped.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param java the java binary children run with (the lab's own)
 * @param classPath the lab's class path, inherited by every child
 * @param scratch a private directory for logs and scripts
 * @param pin whether taskset pins servers and load to separate CPUs
 * @param serverCpus the servers' CPU list, e.g. {@code 0}
 * @param loadCpus the load generators' CPU list, e.g. {@code 1}
 * @param node the node binary, or null when absent
 * @param wrk the wrk binary, or null when absent
 * @param notes what the reader should know about the set-up
 */
public record Environment(Path java, String classPath, Path scratch, boolean pin, String serverCpus, String loadCpus,
        Path node, Path wrk, List<String> notes) {

    /** Copies the notes. */
    public Environment {
        notes = List.copyOf(notes);
    }

    /**
     * Looks around, installing wrk when it is missing and that is possible.
     *
     * @param pinRequested false to run unpinned
     * @param serverCpus CPU list for servers, or null for the first half of the CPUs
     * @param loadCpus CPU list for the load, or null for the second half
     * @param needWrk whether a workload of the run needs wrk (else it is neither looked for nor installed)
     * @param log where to say what it does
     * @return the environment
     * @throws IOException when the scratch directory cannot be created
     */
    public static Environment detect(boolean pinRequested, String serverCpus, String loadCpus, boolean needWrk,
            PrintStream log) throws IOException {
        List<String> notes = new ArrayList<>();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path scratch = Files.createTempDirectory("eventide-lab-");
        int cores = Runtime.getRuntime().availableProcessors();
        Path taskset = which("taskset");
        boolean pin = pinRequested && taskset != null && cores >= 2;
        String server = serverCpus != null ? serverCpus : range(0, Math.max(1, cores / 2) - 1);
        String load = loadCpus != null ? loadCpus : range(cores / 2, cores - 1);
        if (!pin) {
            notes.add(pinRequested ? "Processes were not pinned (" + (taskset == null ? "taskset not found"
                    : "only " + cores + " CPU") + "): server and load shared every CPU."
                    : "Processes were not pinned (--no-pin): server and load shared every CPU.");
        }
        Path node = which("node");
        if (node == null) {
            notes.add("Node.js was not found on PATH: its model was skipped (install Node.js 20 to include it).");
        }
        Path wrk = needWrk ? which("wrk") : null;
        if (wrk == null && needWrk) {
            wrk = installWrk(log);
            if (wrk == null) {
                notes.add("wrk was not found and could not be installed (apt-get install wrk): the throughput and "
                        + "delay workloads were skipped.");
            }
        }
        return new Environment(java, System.getProperty("java.class.path"), scratch, pin, server, load, node, wrk,
                notes);
    }

    /** @return how many CPUs the servers get */
    public int serverCores() {
        return pin ? countCpus(serverCpus) : Runtime.getRuntime().availableProcessors();
    }

    /** @return how many CPUs the load gets */
    public int loadCores() {
        return pin ? countCpus(loadCpus) : Runtime.getRuntime().availableProcessors();
    }

    /**
     * @param cpus a CPU list
     * @param command a command
     * @return the command, run under {@code taskset -c cpus} when pinning
     */
    public List<String> pinned(String cpus, List<String> command) {
        List<String> out = new ArrayList<>();
        if (pin) {
            out.addAll(List.of("taskset", "-c", cpus));
        }
        out.addAll(command);
        return out;
    }

    /** @param list e.g. {@code 0-3,6} @return how many CPUs it names */
    static int countCpus(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String[] r = part.trim().split("-");
            n += r.length == 1 ? 1 : Integer.parseInt(r[1].trim()) - Integer.parseInt(r[0].trim()) + 1;
        }
        return n;
    }

    private static String range(int from, int to) {
        return from >= to ? String.valueOf(from) : from + "-" + to;
    }

    /** @param name a program @return its path on PATH, or null */
    static Path which(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path installWrk(PrintStream log) {
        if (which("apt-get") == null || !"root".equals(System.getProperty("user.name"))) {
            log.println("lab: wrk is not installed. Install it (Debian/Ubuntu: sudo apt-get install wrk) to run the "
                    + "throughput and delay workloads.");
            return null;
        }
        log.println("lab: wrk not found; installing the distribution's package (apt-get install -y wrk)");
        if (!run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "wrk"))) {
            log.println("lab: apt-get install failed; refreshing the package lists (apt-get update) and retrying");
            run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-q"));
            run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "wrk"));
        }
        Path wrk = which("wrk");
        if (wrk == null) {
            log.println("lab: could not install wrk; the throughput and delay workloads will be skipped");
        }
        return wrk;
    }

    private static boolean run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
