package io.eventide.cli;

import io.eventide.core.LoopOptions;
import io.eventide.core.Transport;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.tls.ServerTls;
import io.eventide.core.tls.TlsException;
import io.eventide.http.HttpOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A hosted app's settings, merged from flags, environment, the config file, the app's defaults and
 * the built-in defaults (in that order of precedence; see {@link Settings}, which lists every key,
 * and {@code docs/config.md} or {@code ./eventide help config}).
 *
 * <pre>{@code
 * HostConfig c = HostConfig.load();                                  // this process's settings
 * HostConfig demo = HostConfig.load(Map.of("host", "127.0.0.1"));    // with an app default
 * HostConfig test = HostConfig.of(Map.of("port", "0", "loops", "2")); // defaults + these only
 * }</pre>
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public final class HostConfig {
    private final Map<String, Settings.Value> values;
    private final String source;

    private HostConfig(Map<String, Settings.Value> values, String source) {
        this.values = values;
        this.source = source;
    }

    /**
     * @return this process's configuration
     * @throws ConfigException if a key is unknown or a value wrong
     */
    public static HostConfig load() {
        return load(Map.of());
    }

    /**
     * @param appDefaults the app's own defaults by key, below file, environment and flags
     * @return this process's configuration
     * @throws ConfigException if a key is unknown or a value wrong
     */
    public static HostConfig load(Map<String, String> appDefaults) {
        Map<String, String> defaults = appDefaults;
        if (ClusterLink.active() && !appDefaults.containsKey("loops")) {
            // A cluster worker is one process per core, like a Node cluster worker: one loop each
            // unless the app or the user says otherwise.
            defaults = new LinkedHashMap<>(appDefaults);
            defaults.put("loops", "1");
        }
        return from(System.getenv(), configFile(System.getenv()), flags(), defaults);
    }

    /**
     * @param settings values by key, over the defaults; nothing else is read
     * @return that configuration
     * @throws ConfigException if a key is unknown or a value wrong
     */
    public static HostConfig of(Map<String, String> settings) {
        return from(Map.of(), null, Map.of(), settings);
    }

    /**
     * @param env environment variables
     * @param file a config file, or null
     * @param flags system properties ({@code eventide.config.*} are read)
     * @param appDefaults the app's defaults by key
     * @return the merged configuration
     * @throws ConfigException if a key is unknown or a value wrong
     */
    public static HostConfig from(Map<String, String> env, Path file, Map<String, String> flags, Map<String, String> appDefaults) {
        return new HostConfig(Settings.resolve(env, file, flags, appDefaults), file == null ? "defaults" : file.toString());
    }

    private static Path configFile(Map<String, String> env) {
        String explicit = env.get("EVENTIDE_CONFIG");
        if (explicit != null) {
            return Path.of(explicit);
        }
        Path local = Path.of("eventide.properties");
        return Files.isRegularFile(local) ? local : null;
    }

    private static Map<String, String> flags() {
        Map<String, String> out = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(Settings.FLAG_PREFIX))
                .forEach(k -> out.put(k, System.getProperty(k)));
        return out;
    }

    /**
     * @param key a key of {@link Settings#ALL}
     * @return its value as text ({@code null} for a computed default such as {@code loops})
     */
    public String get(String key) {
        Settings.of(key);
        Settings.Value v = values.get(key);
        return v == null ? null : v.value();
    }

    /** @param key a key @return where its value came from ("default", a file, "environment PORT", ...) */
    public String origin(String key) {
        Settings.of(key);
        Settings.Value v = values.get(key);
        return v == null ? "default" : v.origin();
    }

    /** @return every key that is not at its default, with its origin, for the startup line */
    public String overrides() {
        return values.entrySet().stream().filter(e -> !e.getValue().origin().equals("default"))
                .map(e -> e.getKey() + "=" + e.getValue().value() + " (" + e.getValue().origin() + ")")
                .collect(Collectors.joining(", "));
    }

    private long number(String key) {
        return Long.parseLong(get(key));
    }

    private Duration millis(String key) {
        return Duration.ofMillis(number(key));
    }

    /**
     * The HTTPS settings from {@code tls.cert} and {@code tls.key}: both or neither. Reads the files
     * now, so a missing or unreadable one is reported at startup as a configuration error.
     *
     * @return the server's TLS configuration, or null when neither key is set (plain HTTP)
     */
    public ServerTls tls() {
        String cert = get("tls.cert") == null ? "" : get("tls.cert");
        String key = get("tls.key") == null ? "" : get("tls.key");
        if (cert.isEmpty() && key.isEmpty()) {
            return null;
        }
        if (cert.isEmpty() || key.isEmpty()) {
            throw new ConfigException("tls.cert and tls.key go together: " + (cert.isEmpty() ? "tls.cert" : "tls.key")
                    + " is not set (" + (cert.isEmpty() ? "tls.key from " + origin("tls.key") : "tls.cert from "
                    + origin("tls.cert")) + ")");
        }
        try {
            return ServerTls.pem(Path.of(cert), Path.of(key));
        } catch (TlsException e) {
            throw new ConfigException("tls.cert/tls.key: " + e.getMessage());
        }
    }

    /** @return the listening port */
    public int port() {
        return (int) number("port");
    }

    /** @return the bind address */
    public String host() {
        return get("host");
    }

    /** @return the number of event loops */
    public int loops() {
        String v = get("loops");
        return v == null ? Runtime.getRuntime().availableProcessors() : (int) number("loops");
    }

    /** @return the graceful-shutdown deadline */
    public Duration grace() {
        return millis("shutdown-grace-ms");
    }

    /** @return whether each loop has its own SO_REUSEPORT listener (several processes may share the port) */
    public boolean reusePort() {
        return Boolean.parseBoolean(get("reuse-port"));
    }

    /** @return the HTTP server's options */
    public HttpOptions http() {
        return HttpOptions.builder().tcp(TcpOptions.defaults().reusePort(reusePort())).maxBodyBytes(number("max-body-bytes"))
                .headerTimeout(millis("header-timeout-ms")).keepAliveTimeout(millis("keep-alive-timeout-ms"))
                .gzip(Boolean.parseBoolean(get("gzip"))).build();
    }

    /** @return admission: new requests are shed while the loop lags more */
    public Duration maxLag() {
        return millis("admission.max-lag-ms");
    }

    /** @return admission: new requests are shed while more offloaded tasks wait */
    public int maxWorkerQueue() {
        return (int) number("admission.max-worker-queue");
    }

    /**
     * @return how the loops poll and move socket I/O: the key if it was set anywhere, else the
     *     JVM-wide {@code eventide.core.transport} that {@code LoopOptions} reads (NIO by default)
     */
    public Transport transport() {
        return origin("transport").equals("default") ? LoopOptions.defaults().transport()
                : Transport.parse(get("transport"));
    }

    /** @return the watchdog's threshold */
    public Duration blockedThreshold() {
        return millis("blocked-threshold-ms");
    }

    /** @return the config file the settings came from, or "defaults" */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "HostConfig[" + values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().value())
                .collect(Collectors.joining(", ")) + "]";
    }
}
