package io.eventide.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How {@code eventide cluster} runs: parsed from the options before {@code --}, the worker's
 * command after it.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code -n N|max}, {@code --workers=N|max}</td><td>max</td><td>worker processes (max: one per
 *       core)</td></tr>
 *   <tr><td>{@code --max-memory=SIZE}</td><td>none</td><td>a worker whose resident memory passes it
 *       (checked every second) is replaced: a new one starts, then the old one drains ({@code 512m},
 *       {@code 2g})</td></tr>
 *   <tr><td>{@code --ready-timeout-ms=MS}</td><td>{@value #DEFAULT_READY_TIMEOUT_MS}</td><td>a new
 *       worker not ready by then is killed and counts as a failed start</td></tr>
 *   <tr><td>{@code --kill-timeout-ms=MS}</td><td>{@value #DEFAULT_KILL_TIMEOUT_MS}</td><td>a draining
 *       worker still alive then is killed (SIGKILL)</td></tr>
 *   <tr><td>{@code --restart-delay-ms=MS}</td><td>{@value #DEFAULT_RESTART_DELAY_MS}</td><td>first
 *       delay before restarting a crashed worker; doubles per crash in a row</td></tr>
 *   <tr><td>{@code --max-restart-delay-ms=MS}</td><td>{@value #DEFAULT_MAX_RESTART_DELAY_MS}</td><td>the
 *       delay's ceiling</td></tr>
 *   <tr><td>{@code --name=NAME}</td><td>the supervisor's pid</td><td>the cluster's name, for
 *       {@code status}, {@code reload} and {@code stop}</td></tr>
 *   <tr><td>{@code --run-dir=DIR}</td><td>{@code $XDG_RUNTIME_DIR/eventide-cluster}, else
 *       {@code /tmp/eventide-cluster-$USER}</td><td>where each cluster's control socket lives</td></tr>
 *   <tr><td>{@code --log-dir=DIR}</td><td>{@code logs}</td><td>where {@code worker-N.log} and
 *       {@code cluster.log} are appended</td></tr>
 * </table>
 *
 * @param workers worker processes
 * @param maxMemoryBytes resident-memory limit per worker, 0 for none
 * @param readyTimeout how long a new worker may take to become ready
 * @param killTimeout how long a draining worker may take to exit
 * @param restartDelay first restart delay after a crash
 * @param maxRestartDelay ceiling of the doubling restart delay
 * @param name the cluster's name (a directory under {@code runBase})
 * @param runBase the directory holding every cluster's run directory
 * @param logDir where the log files go
 * @param command the worker's command: a {@code java} executable, then its arguments
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record ClusterOptions(int workers, long maxMemoryBytes, Duration readyTimeout, Duration killTimeout,
        Duration restartDelay, Duration maxRestartDelay, String name, Path runBase, Path logDir, List<String> command) {

    /** Default ready timeout, ms: a worker compiling App.java on a busy machine takes seconds. */
    public static final long DEFAULT_READY_TIMEOUT_MS = 60_000;
    /** Default kill timeout, ms: above a hosted app's default drain grace (10 s) plus its margin. */
    public static final long DEFAULT_KILL_TIMEOUT_MS = 30_000;
    /** Default first restart delay, ms. */
    public static final long DEFAULT_RESTART_DELAY_MS = 100;
    /** Default restart delay ceiling, ms. */
    public static final long DEFAULT_MAX_RESTART_DELAY_MS = 15_000;

    /** Validates and copies. */
    public ClusterOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no worker command after --");
        }
        command = List.copyOf(command);
    }

    /** @return the run directory of this cluster: its control socket and Prometheus targets */
    public Path runDir() {
        return runBase.resolve(name);
    }

    /** @return the default base of run directories */
    public static Path defaultRunBase() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "eventide-cluster")
                : Path.of(System.getProperty("java.io.tmpdir"), "eventide-cluster-" + System.getProperty("user.name"));
    }

    /**
     * @param args options, then {@code --}, then the worker's command
     * @return the options
     * @throws IllegalArgumentException on an unknown option or a bad value, with a message for the user
     */
    public static ClusterOptions parse(List<String> args) {
        Parsed p = new Parsed();
        int i = 0;
        for (; i < args.size() && !args.get(i).equals("--"); i++) {
            String a = args.get(i);
            if (a.equals("-n")) {
                if (++i == args.size()) {
                    throw new IllegalArgumentException("-n needs a number of workers or 'max'");
                }
                p.workers = workers(args.get(i));
            } else {
                int eq = a.indexOf('=');
                p.set(a, eq < 0 ? a : a.substring(0, eq), eq < 0 ? "" : a.substring(eq + 1));
            }
        }
        List<String> command = i < args.size() ? new ArrayList<>(args.subList(i + 1, args.size())) : List.of();
        return new ClusterOptions(p.workers, p.maxMemory, Duration.ofMillis(p.ready), Duration.ofMillis(p.kill),
                Duration.ofMillis(p.delay), Duration.ofMillis(Math.max(p.delay, p.maxDelay)), p.name, p.runBase, p.logDir,
                command);
    }

    /** The options while they are parsed, at their defaults. */
    private static final class Parsed {
        int workers = Runtime.getRuntime().availableProcessors();
        long maxMemory;
        long ready = DEFAULT_READY_TIMEOUT_MS;
        long kill = DEFAULT_KILL_TIMEOUT_MS;
        long delay = DEFAULT_RESTART_DELAY_MS;
        long maxDelay = DEFAULT_MAX_RESTART_DELAY_MS;
        String name = Long.toString(ProcessHandle.current().pid());
        Path runBase = defaultRunBase();
        Path logDir = Path.of("logs");

        void set(String arg, String key, String v) {
            switch (key) {
                case "--workers" -> workers = workers(v);
                case "--max-memory" -> maxMemory = bytes(v);
                case "--ready-timeout-ms" -> ready = millis(key, v);
                case "--kill-timeout-ms" -> kill = millis(key, v);
                case "--restart-delay-ms" -> delay = millis(key, v);
                case "--max-restart-delay-ms" -> maxDelay = millis(key, v);
                case "--name" -> name = name(v);
                case "--run-dir" -> runBase = Path.of(nonEmpty(key, v));
                case "--log-dir" -> logDir = Path.of(nonEmpty(key, v));
                default -> throw new IllegalArgumentException("unknown cluster option '" + arg + "'; options: -n N|max, "
                        + "--workers=, --max-memory=, --ready-timeout-ms=, --kill-timeout-ms=, --restart-delay-ms=, "
                        + "--max-restart-delay-ms=, --name=, --run-dir=, --log-dir=");
            }
        }
    }

    private static int workers(String v) {
        if (v.equalsIgnoreCase("max")) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new IllegalArgumentException("the number of workers must be an integer >= 1 or 'max', got '" + v + "'");
    }

    /** Accepts a byte count with an optional k, m or g suffix (powers of 1024). */
    static long bytes(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!s.isEmpty() && "kmg".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmg".indexOf(s.charAt(s.length() - 1)) + 1));
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            if (n > 0) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new IllegalArgumentException("--max-memory must be a size such as 512m or 2g, got '" + v + "'");
    }

    private static long millis(String key, String v) {
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new IllegalArgumentException(key + " must be a number of milliseconds >= 0, got '" + v + "'");
    }

    private static String name(String v) {
        if (!v.matches("[A-Za-z0-9._-]{1,40}") || v.startsWith(".")) {
            throw new IllegalArgumentException("--name must be 1 to 40 letters, digits, '.', '_' or '-', got '" + v + "'");
        }
        return v;
    }

    private static String nonEmpty(String key, String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException(key + " needs a value");
        }
        return v;
    }
}
