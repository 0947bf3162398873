package io.eventide.cli;

/**
 * {@code ./eventide help config}: prints every configuration key of a hosted app, what it accepts,
 * its default and its environment variable ({@code --markdown}: the table of docs/config.md).
 *
 * <p><b>Threading:</b> main thread only.
 */
public final class ConfigHelp {
    private ConfigHelp() {
    }

    /** @param args {@code --markdown} for the Markdown table, nothing for terminal text */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--markdown")) {
            System.out.print(Settings.markdownTable());
            return;
        }
        System.out.print("""
                Configuration of apps hosted by ./eventide run (Eventide.http(), Host). Highest first:
                  1. flags          ./eventide run --port=9000 App.java
                  2. environment    EVENTIDE_<KEY> (capitals, '.' and '-' as '_'), then PORT / HOST
                  3. config file    $EVENTIDE_CONFIG, else ./eventide.properties (key=value lines)
                  4. the app's own defaults, then the defaults below
                An unknown key, flag or EVENTIDE_* variable stops the app with the list of valid keys.

                """);
        System.out.print(Settings.terminalText());
    }
}
