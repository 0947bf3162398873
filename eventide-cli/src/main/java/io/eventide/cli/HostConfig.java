package io.eventide.cli;

import io.eventide.http.HttpOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Where a hosted app's settings come from, highest first: environment ({@code PORT}, {@code HOST},
 * {@code EVENTIDE_LOOPS}), then the config file ({@code $EVENTIDE_CONFIG}, else
 * {@code ./eventide.properties} when present), then defaults. Config keys are kebab-case:
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>port / host / loops</td><td>8080 / 0.0.0.0 / one per core</td></tr>
 *   <tr><td>shutdown-grace-ms</td><td>10000</td></tr>
 *   <tr><td>max-body-bytes</td><td>{@value HttpOptions#DEFAULT_MAX_BODY_BYTES}</td></tr>
 *   <tr><td>header-timeout-ms / keep-alive-timeout-ms</td><td>10000 / 5000</td></tr>
 *   <tr><td>gzip</td><td>false</td></tr>
 *   <tr><td>admission.max-lag-ms: shed new requests past this loop lag</td><td>200</td></tr>
 *   <tr><td>admission.max-worker-queue: shed past this many queued offloads</td><td>768</td></tr>
 *   <tr><td>blocked-threshold-ms: watchdog threshold</td><td>100</td></tr>
 * </table>
 *
 * @param port listening port
 * @param host bind address
 * @param loops event loops
 * @param grace graceful shutdown deadline
 * @param http HTTP settings
 * @param maxLag admission: loop lag bound
 * @param maxWorkerQueue admission: worker queue bound
 * @param blockedThreshold watchdog threshold
 * @param source where the file settings came from, or "defaults"
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record HostConfig(int port, String host, int loops, Duration grace, HttpOptions http, Duration maxLag,
        int maxWorkerQueue, Duration blockedThreshold, String source) {

    /** @return the configuration of this process (environment, file, defaults) */
    public static HostConfig load() {
        return from(System.getenv(), configFile());
    }

    private static Path configFile() {
        String explicit = System.getenv("EVENTIDE_CONFIG");
        if (explicit != null) {
            return Path.of(explicit);
        }
        Path local = Path.of("eventide.properties");
        return Files.isRegularFile(local) ? local : null;
    }

    /**
     * @param env environment variables
     * @param file a properties file, or null
     * @return the merged configuration
     */
    public static HostConfig from(Map<String, String> env, Path file) {
        Properties p = new Properties();
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int port = intOf(env.get("PORT"), p, "port", 8080);
        String host = env.getOrDefault("HOST", p.getProperty("host", "0.0.0.0"));
        int loops = intOf(env.get("EVENTIDE_LOOPS"), p, "loops", cores);
        HttpOptions http = HttpOptions.defaults()
                .maxBodyBytes(longOf(p, "max-body-bytes", HttpOptions.DEFAULT_MAX_BODY_BYTES))
                .timeouts(Duration.ofMillis(longOf(p, "header-timeout-ms", 10_000)),
                        Duration.ofMillis(longOf(p, "keep-alive-timeout-ms", 5_000)))
                .gzip(Boolean.parseBoolean(p.getProperty("gzip", "false")));
        return new HostConfig(port, host, loops, Duration.ofMillis(longOf(p, "shutdown-grace-ms", 10_000)), http,
                Duration.ofMillis(longOf(p, "admission.max-lag-ms", 200)), (int) longOf(p, "admission.max-worker-queue", 768),
                Duration.ofMillis(longOf(p, "blocked-threshold-ms", 100)), file == null ? "defaults" : file.toString());
    }

    private static int intOf(String env, Properties p, String key, int dflt) {
        String v = env != null ? env : p.getProperty(key);
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config '" + key + "' must be an integer, got '" + v + "'", e);
        }
    }

    private static long longOf(Properties p, String key, long dflt) {
        String v = p.getProperty(key);
        try {
            return v == null ? dflt : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config '" + key + "' must be an integer, got '" + v + "'", e);
        }
    }
}
