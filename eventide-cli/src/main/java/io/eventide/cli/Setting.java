package io.eventide.cli;

import java.util.List;
import java.util.Locale;

/**
 * One configuration key of a hosted app: its kebab-case name, what it accepts, its default, one
 * line of documentation, and the environment variables that set it ({@code EVENTIDE_<KEY>} always;
 * a few conventional aliases such as {@code PORT}). The catalogue is {@link Settings#ALL}.
 *
 * @param key the kebab-case key, dotted by group ({@code admission.max-lag-ms})
 * @param kind what values it accepts
 * @param defaultValue the default, as it would be written in a file ({@code null}: computed, see
 *        {@code defaultText})
 * @param defaultText how the default reads in the documentation
 * @param description one line for the documentation
 * @param choices for {@link Kind#CHOICE}, the accepted values; empty otherwise
 * @param aliases conventional environment variables, lower precedence than {@code EVENTIDE_<KEY>}
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record Setting(String key, Kind kind, String defaultValue, String defaultText, String description,
        List<String> choices, List<String> aliases) {

    /** What a key accepts. */
    public enum Kind {
        /** a TCP port, 0..65535 (0: any free port) */
        PORT("0..65535"),
        /** a whole number >= 1 */
        COUNT("integer >= 1"),
        /** a whole number of milliseconds >= 0 */
        MILLIS("milliseconds"),
        /** a whole number of bytes >= 0 */
        BYTES("bytes"),
        /** true or false */
        BOOL("true | false"),
        /** any text */
        TEXT("text"),
        /** one of the key's choices */
        CHOICE("");

        private final String accepts;

        Kind(String accepts) {
            this.accepts = accepts;
        }
    }

    /** @return the environment variable every key answers to: {@code EVENTIDE_} + key in capitals */
    public String envName() {
        return "EVENTIDE_" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** @return what the key accepts, for messages and documentation */
    public String accepts() {
        return kind == Kind.CHOICE ? String.join(" | ", choices) : kind.accepts;
    }

    /**
     * Checks a raw value against the key's kind.
     *
     * @param raw the value as written
     * @param origin where it came from (for the message)
     * @return the value, trimmed (booleans and choices in lower case)
     * @throws ConfigException if the value is not acceptable
     */
    public String check(String raw, String origin) {
        String v = raw.trim();
        boolean ok = switch (kind) {
            case PORT -> inRange(v, 0, 65_535);
            case COUNT -> inRange(v, 1, Integer.MAX_VALUE);
            case MILLIS, BYTES -> inRange(v, 0, Long.MAX_VALUE);
            case BOOL -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
            case TEXT -> !v.isEmpty();
            case CHOICE -> choices.contains(v.toLowerCase(Locale.ROOT));
        };
        if (!ok) {
            throw new ConfigException(key + " (from " + origin + ") must be " + accepts() + ", got '" + raw + "'");
        }
        return kind == Kind.BOOL || kind == Kind.CHOICE ? v.toLowerCase(Locale.ROOT) : v;
    }

    private static boolean inRange(String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false; // not a number: reported by the caller with the key and the value
        }
    }
}
