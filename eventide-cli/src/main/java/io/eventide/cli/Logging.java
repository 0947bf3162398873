package io.eventide.cli;

import java.util.Locale;
import java.util.Set;

/**
 * Sets up the default log backend of a hosted app. Eventide logs through SLF4J (the host directly,
 * core and http through {@link System.Logger}, which {@code slf4j-jdk-platform-logging} routes to
 * SLF4J), so an app that brings Logback or Log4j gets everything there. When the backend is
 * {@code slf4j-simple} (what {@code ./eventide run} puts on the class path), this gives it one line
 * per event on standard error:
 *
 * <pre>
 * 2026-12-05T21:14:03.512Z [eventide-watchdog] WARN io.eventide - Loop eventide-loop-0 has been blocked ...
 * </pre>
 *
 * with the level of {@code log.level} and the per-logger levels of {@code log.levels}. A system
 * property the user set ({@code -Dorg.slf4j.simpleLogger.*}) is never overridden.
 *
 * <p><b>Threading:</b> call once, from the thread that creates the host, before anything logs.
 */
final class Logging {
    private static final String SIMPLE = "org.slf4j.simpleLogger.";
    private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

    private Logging() {
    }

    /**
     * @param config the host's configuration
     * @throws ConfigException if {@code log.levels} is malformed
     */
    static void configure(HostConfig config) {
        setDefault("defaultLogLevel", config.get("log.level"));
        setDefault("showDateTime", "true");
        setDefault("dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("showThreadName", "true");
        setDefault("showLogName", "true");
        setDefault("levelInBrackets", "false");
        String levels = config.get("log.levels");
        for (String entry : levels == null || levels.isBlank() ? new String[0] : levels.split(",")) {
            String[] kv = entry.trim().split("=", 2);
            String level = kv.length == 2 ? kv[1].trim().toLowerCase(Locale.ROOT) : "";
            if (kv.length != 2 || kv[0].isBlank() || !LEVELS.contains(level)) {
                throw new ConfigException("log.levels (from " + config.origin("log.levels") + ") must be logger=level pairs "
                        + "separated by commas, level one of error, warn, info, debug, trace; got '" + entry.trim() + "'");
            }
            setDefault("log." + kv[0].trim(), level);
        }
        String access = config.get("access-log.file");
        if (!"off".equals(config.get("access-log")) && (access == null || access.isBlank())) {
            // The access log is asked for: log.level=warn must not silence it (log.levels still can).
            setDefault("log." + AccessLog.LOGGER, "info");
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(SIMPLE + key) == null) {
            System.setProperty(SIMPLE + key, value);
        }
    }
}
