package io.eventide.lab.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where and with what a run was measured: CPU, memory, kernel, OS, and the versions of the JDK,
 * Eventide, the peers (from the lab's build), Node.js and wrk.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class MachineInfo {
    private MachineInfo() {
    }

    /**
     * @param env the machine
     * @return display name to value, in display order
     */
    public static Map<String, String> describe(Environment env) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        m.put("memory", memory());
        m.put("kernel", firstLine(List.of("uname", "-sr")));
        m.put("OS", osName());
        m.put("JDK", System.getProperty("java.vm.name") + " " + Runtime.version());
        Properties v = versions();
        m.put("Eventide", v.getProperty("eventide", "?"));
        m.put("Jetty", v.getProperty("jetty", "?"));
        m.put("Helidon", v.getProperty("helidon", "?"));
        m.put("Vert.x", v.getProperty("vertx", "?"));
        m.put("Node.js", env.node() == null ? "absent" : firstLine(List.of(env.node().toString(), "--version")));
        m.put("wrk", env.wrk() == null ? "not used or absent" : firstLine(List.of(env.wrk().toString(), "-v")).replaceAll(
                " Copyright.*", ""));
        m.put("pinning", env.pin() ? "servers on CPU " + env.serverCpus() + ", load on CPU " + env.loadCpus()
                + " (taskset)" : "none");
        m.put("server JVM flags", String.join(" ", ServerProcess.JVM_FLAGS));
        return m;
    }

    private static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = MachineInfo.class.getResourceAsStream("/io/eventide/lab/lab-versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Versions then show as "?": the report is still valid.
        }
        return p;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux.
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kib / 1048576.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux.
        }
        return "?";
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // Fall back to the JVM's idea.
        }
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    static String firstLine(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("?").trim();
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
