package io.eventide.cli;

import io.eventide.cli.Setting.Kind;
import io.eventide.http.HttpOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every configuration key of a hosted app, and how the sources are merged. The one place that
 * reads environment variables, the config file and flags (issue 18: one reader).
 *
 * <p>Precedence, highest first:
 * <ol>
 *   <li>flags: {@code ./eventide run --port=9000 App.java}, which the launcher passes as the system
 *       property {@code eventide.config.port};</li>
 *   <li>environment: {@code EVENTIDE_<KEY>} (key in capitals, {@code .} and {@code -} as
 *       {@code _}), then a key's conventional alias ({@code PORT}, {@code HOST});</li>
 *   <li>the config file: {@code $EVENTIDE_CONFIG}, else {@code ./eventide.properties} if present;</li>
 *   <li>the app's own defaults (e.g. the demo binds 127.0.0.1);</li>
 *   <li>the defaults below.</li>
 * </ol>
 * An unknown key in the file or in flags, or an unknown {@code EVENTIDE_*} variable, is an error
 * that lists the valid keys: a typo never goes silently unused.
 *
 * <p><b>Threading:</b> immutable catalogue; resolution runs on the thread that loads a configuration.
 */
public final class Settings {
    /** System-property prefix of flags. */
    public static final String FLAG_PREFIX = "eventide.config.";
    /** Environment variables of the launcher itself, not configuration keys. */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("EVENTIDE_CONFIG", "EVENTIDE_JAVA_OPTS");

    /** The catalogue, in documentation order. */
    public static final List<Setting> ALL = List.of(
            s("port", Kind.PORT, "8080", "listening port (0: any free port)", "PORT"),
            s("host", Kind.TEXT, "0.0.0.0", "bind address", "HOST"),
            new Setting("loops", Kind.COUNT, null, "one per core", "event loops (threads) serving requests", List.of(), List.of()),
            s("shutdown-grace-ms", Kind.MILLIS, "10000", "on SIGTERM, how long in-flight requests may take before they are cut"),
            s("max-body-bytes", Kind.BYTES, Long.toString(HttpOptions.DEFAULT_MAX_BODY_BYTES), "largest request body (413 past it)"),
            s("header-timeout-ms", Kind.MILLIS, "10000", "time to send a request head (408 past it)"),
            s("keep-alive-timeout-ms", Kind.MILLIS, "65000", "idle time before a keep-alive connection is closed "
                    + "(above the 60 s idle timeout of nginx upstreams and most load balancers, so that they close first)"),
            s("reuse-port", Kind.BOOL, "false", "one SO_REUSEPORT listener per loop, so that several processes share "
                    + "the port (always on under eventide cluster)"),
            s("gzip", Kind.BOOL, "false", "compress text responses for clients that accept gzip"),
            s("admission.max-lag-ms", Kind.MILLIS, "200", "shed new requests (503 + Retry-After) while the loop lags more"),
            s("admission.max-worker-queue", Kind.COUNT, "768", "shed new requests while more offloaded tasks wait"),
            s("blocked-threshold-ms", Kind.MILLIS, "100", "the watchdog reports a callback that holds a loop longer"),
            choice("transport", "nio", "how the loops poll and move socket I/O: nio (the JDK selector, any platform) "
                    + "or epoll (Linux, JDK 22+, through the Foreign Function & Memory API; docs/design/event-loop.md)",
                    "nio", "epoll"),
            choice("cluster.sticky", "off", "under eventide cluster, keep a client on one worker: by cookie eventide_worker, "
                    + "or by the query parameter eventide_worker; other workers relay its requests (docs/cluster.md)",
                    "off", "cookie", "query"),
            choice("log.level", "info", "level of Eventide's log (through SLF4J)", "error", "warn", "info", "debug", "trace"),
            s("log.levels", Kind.TEXT, "", "per-logger levels, e.g. io.eventide.http=debug,io.eventide.core=warn"),
            choice("access-log", "off", "one line per request: off, Common or Combined Log Format, or JSON lines",
                    "off", "common", "combined", "json"),
            s("access-log.file", Kind.TEXT, "", "where the access log goes: empty, the SLF4J logger eventide.access "
                    + "(at info); '-', standard output (bare lines); else a file, appended to"),
            s("tls.cert", Kind.TEXT, "", "PEM certificate chain, leaf first: serve HTTPS (with tls.key; kill -HUP reloads both)"),
            s("tls.key", Kind.TEXT, "", "PEM PKCS#8 private key of tls.cert"));

    private static final Map<String, Setting> BY_KEY = new LinkedHashMap<>();
    private static final Map<String, Setting> BY_ENV = new LinkedHashMap<>();

    static {
        for (Setting s : ALL) {
            BY_KEY.put(s.key(), s);
            BY_ENV.put(s.envName(), s);
        }
    }

    private Settings() {
    }

    private static Setting s(String key, Kind kind, String dflt, String doc, String... aliases) {
        return new Setting(key, kind, dflt, dflt.isEmpty() ? "(none)" : dflt, doc, List.of(), List.of(aliases));
    }

    private static Setting choice(String key, String dflt, String doc, String... choices) {
        return new Setting(key, Kind.CHOICE, dflt, dflt, doc, List.of(choices), List.of());
    }

    /**
     * @param key a key
     * @return its setting
     * @throws ConfigException if there is no such key
     */
    public static Setting of(String key) {
        Setting s = BY_KEY.get(key);
        if (s == null) {
            throw unknown("key '" + key + "'");
        }
        return s;
    }

    private static ConfigException unknown(String what) {
        return new ConfigException("unknown configuration " + what + "; valid keys: " + String.join(", ", BY_KEY.keySet()));
    }

    /** A value and where it came from. */
    record Value(String value, String origin) {
    }

    /**
     * Merges the sources (see the class documentation).
     *
     * @param env environment variables
     * @param file the config file, or null
     * @param flags system properties (only {@code eventide.config.*} are read)
     * @param appDefaults the app's own defaults, by key
     * @return every key's value and origin (keys without a value, like {@code loops}, are absent)
     */
    static Map<String, Value> resolve(Map<String, String> env, Path file, Map<String, String> flags,
            Map<String, String> appDefaults) {
        Map<String, Value> out = new LinkedHashMap<>();
        for (Setting s : ALL) {
            if (s.defaultValue() != null) {
                out.put(s.key(), new Value(s.defaultValue(), "default"));
            }
        }
        appDefaults.forEach((k, v) -> put(out, of(k), v, "the app"));
        if (file != null) {
            readFile(file).forEach((k, v) -> {
                Setting s = BY_KEY.get(k);
                if (s == null) {
                    throw unknown("key '" + k + "' in " + file);
                }
                put(out, s, v, file.toString());
            });
        }
        for (Setting s : ALL) {
            for (String alias : s.aliases()) {
                if (env.get(alias) != null) {
                    put(out, s, env.get(alias), "environment " + alias);
                }
            }
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith("EVENTIDE_") && !LAUNCHER_VARIABLES.contains(e.getKey())) {
                Setting s = BY_ENV.get(e.getKey());
                if (s == null) {
                    throw unknown("variable " + e.getKey() + " (variables are EVENTIDE_<KEY>)");
                }
                put(out, s, e.getValue(), "environment " + e.getKey());
            }
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(flags).entrySet()) {
            if (e.getKey().startsWith(FLAG_PREFIX)) {
                String key = e.getKey().substring(FLAG_PREFIX.length());
                Setting s = BY_KEY.get(key);
                if (s == null) {
                    throw unknown("flag --" + key);
                }
                put(out, s, e.getValue(), "flag --" + key);
            }
        }
        return out;
    }

    private static void put(Map<String, Value> out, Setting s, String raw, String origin) {
        out.put(s.key(), new Value(s.kind() == Kind.TEXT && raw.isBlank() ? "" : s.check(raw, origin), origin));
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : new TreeSet<>(p.stringPropertyNames())) {
            out.put(k, p.getProperty(k));
        }
        return out;
    }

    /** @return the catalogue as a Markdown table (docs/config.md embeds exactly this) */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| key | environment | accepts | default | what |\n| --- | --- | --- | --- | --- |\n");
        for (Setting s : ALL) {
            List<String> env = new ArrayList<>();
            env.add("`" + s.envName() + "`");
            s.aliases().forEach(a -> env.add("`" + a + "`"));
            b.append("| `").append(s.key()).append("` | ").append(String.join(", ", env)).append(" | ")
                    .append(s.accepts().replace("|", "\\|")).append(" | ").append(s.defaultText()).append(" | ")
                    .append(s.description()).append(" |\n");
        }
        return b.toString();
    }

    /** @return the catalogue as plain text for a terminal ({@code ./eventide help config}) */
    public static String terminalText() {
        StringBuilder b = new StringBuilder();
        for (Setting s : ALL) {
            b.append(String.format("  %-28s %s%n  %-28s default %s; accepts %s; env %s%s%n", s.key(), s.description(), "",
                    s.defaultText(), s.accepts(), s.envName(), s.aliases().isEmpty() ? "" : " or " + String.join(", ", s.aliases())));
        }
        return b.toString();
    }
}
