package io.eventide.cluster;

import io.eventide.cluster.internal.ControlClient;
import io.eventide.cluster.internal.Supervisor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code eventide cluster}: Node's cluster module and PM2's restarts and reloads, for hosted apps.
 * The launcher runs it as
 *
 * <pre>
 *   ./eventide cluster [-n N|max] [options] App.java|app.jar   start N workers and supervise them
 *   ./eventide cluster status [--json] [--name=NAME]           pid, uptime, restarts, req/s, heap, loop lag
 *   ./eventide cluster reload [--name=NAME]                    rolling reload (also: kill -HUP supervisor)
 *   ./eventide cluster stop [--name=NAME]                      graceful stop (also: kill -TERM supervisor)
 * </pre>
 *
 * which reach this class as {@code start [options] -- java ... App.java}, {@code status ...},
 * {@code reload ...} and {@code stop ...}. The workers share the app's port, each with its own
 * SO_REUSEPORT listeners: the kernel spreads connections, no process passes them on. Options:
 * {@link ClusterOptions}; what happens on reload: {@code io.eventide.cluster.internal.Supervisor}.
 *
 * <p><b>Threading:</b> {@link #main} runs the supervisor (or one command) on the calling thread.
 */
public final class Cluster {
    private Cluster() {
    }

    /**
     * Exits with the supervisor's status (0: stopped gracefully) or the command's.
     *
     * @param args {@code start ... -- command}, {@code status}, {@code reload} or {@code stop}
     */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    /**
     * @param args as for {@link #main}
     * @return the exit status: 0 done, 1 failed, 2 bad usage
     */
    public static int run(List<String> args) {
        if (args.isEmpty()) {
            System.err.println("usage: Cluster start [options] -- <java command> | status [--json] | reload | stop");
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "start" -> start(ClusterOptions.parse(rest));
                case "status", "reload", "stop" -> command(args.get(0), rest);
                default -> throw new IllegalArgumentException("unknown cluster command '" + args.get(0)
                        + "' (start, status, reload, stop)");
            };
        } catch (IllegalArgumentException e) {
            System.err.println("eventide cluster: " + e.getMessage());
            return 2;
        }
    }

    private static int start(ClusterOptions opts) {
        try {
            return new Supervisor(opts, System.out, System.err).run();
        } catch (IOException e) {
            System.err.println("eventide cluster: " + e.getMessage());
            return 1;
        }
    }

    private static int command(String verb, List<String> args) {
        String name = null;
        Path runBase = ClusterOptions.defaultRunBase();
        List<String> words = new ArrayList<>(List.of(verb));
        for (String a : args) {
            if (a.startsWith("--name=")) {
                name = a.substring("--name=".length());
            } else if (a.startsWith("--run-dir=")) {
                runBase = Path.of(a.substring("--run-dir=".length()));
            } else if (a.equals("--json") && verb.equals("status")) {
                words.add("json");
            } else {
                throw new IllegalArgumentException("unknown option '" + a + "' for cluster " + verb
                        + " (--name=NAME, --run-dir=DIR" + (verb.equals("status") ? ", --json" : "") + ")");
            }
        }
        return ControlClient.send(runBase, name, String.join(" ", words), System.out);
    }
}
