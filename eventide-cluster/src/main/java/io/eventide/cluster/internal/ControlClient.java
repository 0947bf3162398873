package io.eventide.cluster.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command side of the control socket: {@code eventide cluster status|reload|stop} find the
 * running cluster (by {@code --name}, or the only one running) and print what it answers.
 *
 * <p><b>Threading:</b> main thread of the command; blocking.
 */
public final class ControlClient {
    private ControlClient() {
    }

    /** @param socket a control socket @return whether a supervisor answers there */
    static boolean isLive(Path socket) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return ch.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends one command and prints the answer; the last line ({@code ok ...} or {@code failed ...})
     * decides the exit status and is printed only when it says more than "ok".
     *
     * @param runBase the directory holding the run directories
     * @param name the cluster's name, or null for the only one running
     * @param command {@code status}, {@code status json}, {@code reload} or {@code stop}
     * @param out where to print
     * @return the exit status: 0 done, 1 failed or no cluster
     */
    public static int send(Path runBase, String name, String command, PrintStream out) {
        Path socket;
        try {
            socket = find(runBase, name);
        } catch (IOException e) {
            out.println("eventide cluster: " + e.getMessage());
            return 1;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Peer peer = new Peer(ch);
            peer.say(command);
            String last = null;
            for (String line = peer.readLine(); line != null; line = peer.readLine()) {
                if (last != null) {
                    out.println(last);
                }
                last = line;
            }
            if (last == null) {
                out.println("eventide cluster: the supervisor closed the connection without an answer");
                return 1;
            }
            if (!last.equals("ok")) {
                out.println(last);
            }
            out.flush();
            return last.startsWith("ok") ? 0 : 1;
        } catch (IOException e) {
            out.println("eventide cluster: cannot reach the supervisor at " + socket + ": " + e.getMessage());
            return 1;
        }
    }

    private static Path find(Path runBase, String name) throws IOException {
        if (name != null) {
            Path s = runBase.resolve(name).resolve("control.sock");
            if (!isLive(s)) {
                throw new IOException("no cluster named '" + name + "' is running (no supervisor at " + s + ")");
            }
            return s;
        }
        List<Path> live = new ArrayList<>();
        if (Files.isDirectory(runBase)) {
            try (Stream<Path> dirs = Files.list(runBase)) {
                for (Path d : dirs.sorted().toList()) {
                    Path s = d.resolve("control.sock");
                    if (Files.exists(s) && isLive(s)) {
                        live.add(s);
                    }
                }
            }
        }
        if (live.isEmpty()) {
            throw new IOException("no eventide cluster is running (looked in " + runBase + ")");
        }
        if (live.size() > 1) {
            throw new IOException("several clusters are running; choose one with --name=: "
                    + String.join(", ", live.stream().map(p -> p.getParent().getFileName().toString()).toList()));
        }
        return live.get(0);
    }
}
