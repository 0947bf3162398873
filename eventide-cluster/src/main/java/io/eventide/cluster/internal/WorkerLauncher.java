package io.eventide.cluster.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts worker processes: the app's command with the system properties that make it a cluster
 * worker ({@code eventide.cluster.control}, {@code eventide.cluster.slot}) after the {@code java}
 * executable, in a session of its own ({@code setsid}, where present: a Ctrl-C in the terminal then
 * reaches only the supervisor, which drains the workers in order instead of every worker at once),
 * its output pumped into {@link Logs}.
 *
 * <p><b>Threading:</b> the supervisor thread.
 */
final class WorkerLauncher {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final List<String> command;
    private final Path socket;
    private final Logs logs;
    private int generation;

    WorkerLauncher(List<String> command, Path socket, Logs logs) {
        this.command = command;
        this.socket = socket;
        this.logs = logs;
    }

    /** @return a started worker for {@code slot} */
    Worker start(int slot) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            cmd.add(SETSID.toString());
        }
        cmd.add(command.get(0));
        cmd.add("-Deventide.cluster.control=" + socket);
        cmd.add("-Deventide.cluster.slot=" + slot);
        cmd.addAll(command.subList(1, command.size()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        Worker w = new Worker(slot, ++generation, p);
        logs.pump(w, p.getInputStream(), false);
        logs.pump(w, p.getErrorStream(), true);
        return w;
    }

    /** @return the command with its class path shortened: the log line stays readable */
    String brief() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            out.add(a);
            if ((a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) && i + 1 < command.size()) {
                out.add("<" + command.get(++i).split(File.pathSeparator).length + " class path entries>");
            }
        }
        return String.join(" ", out);
    }
}
