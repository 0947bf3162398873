package io.eventide.cluster.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code eventide cluster status} shows (a table, or JSON with {@code --json}), and the
 * Prometheus file-based service discovery targets ({@value #TARGETS_FILE} in the run directory:
 * one target per ready worker, its own port, labelled {@code worker}), so every worker's
 * {@code /metrics} is scraped, not whichever one the shared port happens to reach.
 *
 * <p><b>Threading:</b> confined to the supervisor thread.
 */
final class StatusReport {
    static final String TARGETS_FILE = "prometheus-targets.json";

    private StatusReport() {
    }

    static void reply(Peer peer, Supervisor sup, boolean json) {
        for (String line : (json ? json(sup) : table(sup)).split("\n")) {
            peer.say(line);
        }
        peer.say("ok");
        peer.close();
    }

    private static List<Worker> rows(Supervisor sup) {
        List<Worker> ws = new ArrayList<>(sup.workers());
        ws.sort((a, b) -> a.slot != b.slot ? Integer.compare(a.slot, b.slot) : Integer.compare(a.generation, b.generation));
        return ws;
    }

    private static String table(Supervisor sup) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "cluster %s: supervisor pid %d, up %s, %d workers%s%s, logs %s/%n",
                sup.options().name(), ProcessHandle.current().pid(), duration(sup.uptimeSeconds()), sup.slots().length,
                sup.isReloading() ? ", reloading" : "", sup.isStopping() ? ", stopping" : "", sup.options().logDir()));
        b.append(String.format(Locale.ROOT, "%-6s %-8s %-9s %-9s %-8s %-9s %-14s %-9s %-6s %s%n", "worker", "pid", "state",
                "uptime", "restarts", "req/s", "heap MiB", "loop lag", "conns", "metrics"));
        for (Worker w : rows(sup)) {
            Slot s = sup.slots()[w.slot - 1];
            b.append(String.format(Locale.ROOT, "%-6d %-8d %-9s %-9s %-8d %-9.0f %-14s %-9s %-6d %s%n", w.slot, w.pid,
                    w.state.name().toLowerCase(Locale.ROOT), duration(w.uptimeSeconds()), s.restarts, w.rps,
                    (w.heap >> 20) + " / " + (w.heapMax >> 20), String.format(Locale.ROOT, "%.1f ms", w.lagMicros / 1000.0),
                    w.connections, w.directPort > 0 ? "http://127.0.0.1:" + w.directPort + "/metrics" : "-"));
        }
        for (Slot s : sup.slots()) {
            if (s.current == null && s.restartPending) {
                b.append(String.format(Locale.ROOT, "%-6d %-8s %-9s (restarting after %d crash%s in a row)%n", s.index, "-",
                        "down", s.crashesInARow, s.crashesInARow == 1 ? "" : "es"));
            }
        }
        return b.toString();
    }

    private static String json(Supervisor sup) {
        StringBuilder b = new StringBuilder();
        b.append("{\"name\":\"").append(sup.options().name()).append("\",\"pid\":").append(ProcessHandle.current().pid())
                .append(",\"uptime_s\":").append(round(sup.uptimeSeconds())).append(",\"size\":").append(sup.slots().length)
                .append(",\"reloading\":").append(sup.isReloading()).append(",\"workers\":[");
        String sep = "";
        for (Worker w : rows(sup)) {
            b.append(sep).append("{\"slot\":").append(w.slot).append(",\"pid\":").append(w.pid)
                    .append(",\"generation\":").append(w.generation)
                    .append(",\"state\":\"").append(w.state.name().toLowerCase(Locale.ROOT)).append('"')
                    .append(",\"uptime_s\":").append(round(w.uptimeSeconds()))
                    .append(",\"restarts\":").append(sup.slots()[w.slot - 1].restarts)
                    .append(",\"rps\":").append(round(w.rps)).append(",\"heap_bytes\":").append(w.heap)
                    .append(",\"heap_max_bytes\":").append(w.heapMax).append(",\"rss_bytes\":").append(w.residentBytes())
                    .append(",\"lag_ms\":").append(round(w.lagMicros / 1000.0)).append(",\"connections\":").append(w.connections)
                    .append(",\"port\":").append(w.port).append(",\"direct_port\":").append(w.directPort).append('}');
            sep = ",";
        }
        return b.append("]}").toString();
    }

    /** @return {@code peers 1=PORT 2=PORT}: each ready worker's own port, by slot */
    static String peersLine(Supervisor sup) {
        StringBuilder b = new StringBuilder("peers");
        for (Slot s : sup.slots()) {
            Worker w = s.current;
            if (w != null && w.state == Worker.State.READY && w.directPort > 0) {
                b.append(' ').append(s.index).append('=').append(w.directPort);
            }
        }
        return b.toString();
    }

    /** Rewrites the targets file (atomically: Prometheus may read it at any moment). */
    static void writeTargets(Path runDir, Supervisor sup) {
        StringBuilder b = new StringBuilder("[");
        String sep = "";
        for (Slot s : sup.slots()) {
            Worker w = s.current;
            if (w != null && w.state == Worker.State.READY && w.directPort > 0) {
                b.append(sep).append("{\"targets\":[\"127.0.0.1:").append(w.directPort).append("\"],\"labels\":{\"worker\":\"")
                        .append(w.slot).append("\",\"cluster\":\"").append(sup.options().name()).append("\"}}");
                sep = ",";
            }
        }
        b.append("]\n");
        try {
            Path tmp = runDir.resolve(TARGETS_FILE + ".tmp");
            Files.writeString(tmp, b);
            Files.move(tmp, runDir.resolve(TARGETS_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Only Prometheus discovery suffers; status still lists every worker's metrics address.
        }
    }

    private static String round(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String duration(double seconds) {
        long s = (long) seconds;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
