package io.eventide.cli;

import io.eventide.core.EventideException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A hosted app's line to the {@code eventide cluster} supervisor that started it (module
 * eventide-cluster), over the Unix domain socket the supervisor names in the system property
 * {@value #CONTROL_PROPERTY}. Outside a cluster there is no link and nothing here runs.
 *
 * <p>The worker reports; the supervisor steers with signals (SIGTERM: drain and exit) and tells
 * each worker where its siblings listen (for {@code cluster.sticky}). Lines, one per message,
 * {@code verb key=value...}:
 * <pre>
 *   hello slot=2 pid=4242                      worker: once, on connecting
 *   ready port=8080 direct=41234               worker: once the app is ready and listens on the shared port
 *   stats requests=N conns=N heap=B heapmax=B lag=MICROS   worker: every second
 *   draining                                   worker: a drain began (signal, memory limit, lost supervisor)
 *   peers 1=41234 2=39291                      supervisor: each ready worker's own port, by slot
 * </pre>
 * When the supervisor goes away (its end of the socket closes: killed, crashed) the worker drains
 * and exits, so no orphan keeps serving the port unsupervised.
 *
 * <p><b>Threading:</b> any thread; writes are serialised on this object. The report and the
 * watch for a lost supervisor run on two daemon threads of their own, never on a loop.
 */
final class ClusterLink {
    /** System property: the supervisor's control socket. Set by the supervisor, not by users. */
    static final String CONTROL_PROPERTY = "eventide.cluster.control";
    /** System property: this worker's slot number (1..N). */
    static final String SLOT_PROPERTY = "eventide.cluster.slot";

    private final Path socket;
    private final String slot;
    /** Guarded by {@code this}. */
    private SocketChannel channel;
    private volatile Consumer<Map<String, Integer>> onPeers = peers -> { };

    private ClusterLink(Path socket, String slot) {
        this.socket = socket;
        this.slot = slot;
    }

    /** @return whether this process was started by {@code eventide cluster} */
    static boolean active() {
        return System.getProperty(CONTROL_PROPERTY) != null;
    }

    /** @return the link of this process, or null outside a cluster */
    static ClusterLink fromSystem() {
        String path = System.getProperty(CONTROL_PROPERTY);
        return path == null ? null : new ClusterLink(Path.of(path), System.getProperty(SLOT_PROPERTY, "0"));
    }

    /** @return this worker's slot */
    String slot() {
        return slot;
    }

    /** @param handler receives each {@code peers} line (slot to own port), on the link's thread */
    void onPeers(Consumer<Map<String, Integer>> handler) {
        this.onPeers = handler;
    }

    /**
     * Connects, says hello, and starts reporting {@code stats} every second.
     *
     * @param stats one stats line's fields, read on the reporting thread
     * @param onLost run (once, on a daemon thread) when the supervisor's end closes
     * @throws EventideException if the supervisor cannot be reached
     */
    void connect(Supplier<String> stats, Runnable onLost) {
        try {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            synchronized (this) {
                channel = ch;
            }
        } catch (IOException e) {
            throw new EventideException("cannot reach the cluster supervisor at " + socket + ": " + e.getMessage(), e);
        }
        send("hello slot=" + slot + " pid=" + ProcessHandle.current().pid());
        Thread.ofPlatform().daemon().name("eventide-cluster-watch").start(() -> watch(onLost));
        Thread.ofPlatform().daemon().name("eventide-cluster-report").start(() -> report(stats));
    }

    private void watch(Runnable onLost) {
        SocketChannel ch = channelOrNull();
        if (ch != null) {
            try (java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) { // blocking-ok: own daemon thread
                    if (line.startsWith("peers")) {
                        onPeers.accept(peers(line));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Read failed: the supervisor's end is gone, same as end of stream.
            }
        }
        onLost.run();
    }

    /** @return slot to port, from {@code peers 1=41234 2=39291} */
    static Map<String, Integer> peers(String line) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String part : line.trim().split(" +")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                try {
                    out.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
                } catch (NumberFormatException e) {
                    // A garbled entry: that worker is not relayed to.
                }
            }
        }
        return out;
    }

    private void report(Supplier<String> stats) {
        while (channelOrNull() != null) {
            try {
                Thread.sleep(1000); // blocking-ok: own daemon thread
            } catch (InterruptedException e) {
                return;
            }
            send("stats " + stats.get());
        }
    }

    private synchronized SocketChannel channelOrNull() {
        return channel != null && channel.isOpen() ? channel : null;
    }

    /** @param port the shared port @param direct this worker's own port */
    void ready(int port, int direct) {
        send("ready port=" + port + " direct=" + direct);
    }

    /** Tells the supervisor a drain began. */
    void draining() {
        Thread.ofVirtual().start(() -> send("draining")); // drain() may be called on a loop: no write there
    }

    private synchronized void send(String line) {
        if (channel == null || !channel.isOpen()) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) {
                channel.write(b); // blocking-ok: a few bytes to a local socket, from the caller's thread (never a loop)
            }
        } catch (IOException e) {
            // The supervisor is gone; the watch thread sees the closed end and drains this worker.
        }
    }
}
