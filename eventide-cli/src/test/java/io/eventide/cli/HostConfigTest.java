package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a hosted app's settings come from, and what is refused. No sockets. */
class HostConfigTest {
    @Test
    void precedenceIsFlagsThenEnvironmentThenFileThenAppThenDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("eventide.properties");
        Files.writeString(file, "port=9000\nloops=3\ngzip=true\nheader-timeout-ms=4000\nadmission.max-lag-ms=75\n");
        HostConfig c = HostConfig.from(Map.of("PORT", "7000", "EVENTIDE_HEADER_TIMEOUT_MS", "3000"), file,
                Map.of("eventide.config.admission.max-lag-ms", "50", "unrelated.property", "x"),
                Map.of("host", "127.0.0.1", "loops", "1", "shutdown-grace-ms", "2000"));
        assertThat(c.port()).isEqualTo(7000);                     // environment alias over file
        assertThat(c.origin("port")).isEqualTo("environment PORT");
        assertThat(c.get("header-timeout-ms")).isEqualTo("3000"); // EVENTIDE_<KEY> over file
        assertThat(c.maxLag()).isEqualTo(Duration.ofMillis(50));   // flag over file
        assertThat(c.origin("admission.max-lag-ms")).isEqualTo("flag --admission.max-lag-ms");
        assertThat(c.loops()).isEqualTo(3);                        // file over the app's default
        assertThat(c.http().gzip()).isTrue();
        assertThat(c.host()).isEqualTo("127.0.0.1");               // the app's default over the built-in one
        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.blockedThreshold()).isEqualTo(Duration.ofMillis(100)); // built-in default
        assertThat(c.origin("blocked-threshold-ms")).isEqualTo("default");
        assertThat(c.overrides()).contains("port=7000 (environment PORT)").doesNotContain("blocked-threshold-ms");
    }

    @Test
    void eventidePrefixedVariableBeatsTheConventionalAlias() {
        HostConfig c = HostConfig.from(Map.of("PORT", "7000", "EVENTIDE_PORT", "7001"), null, Map.of(), Map.of());
        assertThat(c.port()).isEqualTo(7001);
    }

    @Test
    void theTransportIsTheJvmsDefaultUnlessTheKeyChoosesAndNothingElseIsAccepted() {
        // Unset, it is what LoopOptions would choose: NIO, or the suite's epoll run's property.
        assertThat(HostConfig.of(Map.of()).transport()).isEqualTo(io.eventide.core.Transport.parse(
                System.getProperty("eventide.core.transport", "nio")));
        assertThat(HostConfig.of(Map.of("transport", "nio")).transport()).isEqualTo(io.eventide.core.Transport.NIO);
        assertThat(HostConfig.of(Map.of("transport", "epoll")).transport()).isEqualTo(io.eventide.core.Transport.EPOLL);
        assertThatThrownBy(() -> HostConfig.of(Map.of("transport", "kqueue"))).hasMessageContaining("transport");
    }

    @Test
    void loopsDefaultToOnePerCore() {
        assertThat(HostConfig.of(Map.of()).loops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void unknownKeysAreRejectedWithTheListOfValidOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("eventide.properties");
        Files.writeString(file, "prot=9000\n");
        assertThatThrownBy(() -> HostConfig.from(Map.of(), file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown configuration key 'prot' in " + file)
                .hasMessageContaining("valid keys: port, host, loops,");
        assertThatThrownBy(() -> HostConfig.from(Map.of("EVENTIDE_LOOP", "2"), null, Map.of(), Map.of()))
                .hasMessageContaining("unknown configuration variable EVENTIDE_LOOP").hasMessageContaining("loops");
        assertThatThrownBy(() -> HostConfig.from(Map.of(), null, Map.of("eventide.config.gzipp", "true"), Map.of()))
                .hasMessageContaining("unknown configuration flag --gzipp");
        assertThatThrownBy(() -> HostConfig.of(Map.of("nope", "1"))).hasMessageContaining("unknown configuration key 'nope'");
    }

    @Test
    void theLaunchersOwnVariablesAreNotKeys() {
        HostConfig c = HostConfig.from(Map.of("EVENTIDE_JAVA_OPTS", "-Xmx1g", "EVENTIDE_CONFIG", "/nonexistent"), null,
                Map.of(), Map.of());
        assertThat(c.port()).isEqualTo(8080);
    }

    @Test
    void wrongValuesSayWhichKeyWhereFromAndWhatIsAccepted() {
        assertThatThrownBy(() -> HostConfig.from(Map.of("PORT", "abc"), null, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("port (from environment PORT) must be 0..65535, got 'abc'");
        assertThatThrownBy(() -> HostConfig.from(Map.of("PORT", "99999"), null, Map.of(), Map.of()))
                .hasMessage("port (from environment PORT) must be 0..65535, got '99999'");
        assertThatThrownBy(() -> HostConfig.of(Map.of("loops", "0"))).hasMessageContaining("loops (from the app) must be integer >= 1");
        assertThatThrownBy(() -> HostConfig.of(Map.of("gzip", "yes"))).hasMessageContaining("must be true | false, got 'yes'");
        assertThatThrownBy(() -> HostConfig.of(Map.of("access-log", "apache")))
                .hasMessageContaining("must be off | common | combined | json");
    }

    @Test
    void docsConfigMdHoldsTheGeneratedTable() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "config.md"));
        assertThat(doc).as("docs/config.md is out of date: paste Settings.markdownTable() into it")
                .contains(Settings.markdownTable());
        for (Setting s : Settings.ALL) {
            assertThat(Settings.terminalText()).contains(s.key(), s.description());
        }
    }
}
