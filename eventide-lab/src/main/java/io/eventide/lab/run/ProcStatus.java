package io.eventide.lab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's resident set and thread count from {@code /proc/PID/status} (Linux).
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class ProcStatus {
    private ProcStatus() {
    }

    /** @return {VmRSS in KiB, Threads}; both -1 when /proc is not there */
    static long[] read(long pid) {
        long rss = -1;
        long threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the process is gone: the caller reports -1.
        }
        return new long[] {rss, threads};
    }

    /** @return the 1-minute load average, or -1 */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
