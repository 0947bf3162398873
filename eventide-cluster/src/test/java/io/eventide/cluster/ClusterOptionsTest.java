package io.eventide.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The supervisor's options and its usage errors. No processes. */
class ClusterOptionsTest {
    @Test
    void optionsThenTheWorkersCommand() {
        ClusterOptions o = ClusterOptions.parse(List.of("-n", "3", "--max-memory=512m", "--name=api", "--run-dir=/tmp/r",
                "--restart-delay-ms=50", "--", "java", "-cp", "x", "App"));
        assertThat(o.workers()).isEqualTo(3);
        assertThat(o.maxMemoryBytes()).isEqualTo(512L << 20);
        assertThat(o.runDir()).isEqualTo(Path.of("/tmp/r/api"));
        assertThat(o.restartDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(o.command()).containsExactly("java", "-cp", "x", "App");
        assertThat(ClusterOptions.parse(List.of("-n", "max", "--", "java")).workers())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(ClusterOptions.parse(List.of("--max-memory=2g", "--", "java")).maxMemoryBytes()).isEqualTo(2L << 30);
    }

    @Test
    void mistakesSayWhatIsAccepted() {
        assertThatThrownBy(() -> ClusterOptions.parse(List.of("-n", "0", "--", "java")))
                .hasMessage("the number of workers must be an integer >= 1 or 'max', got '0'");
        assertThatThrownBy(() -> ClusterOptions.parse(List.of("--max-memory=lots", "--", "java")))
                .hasMessageContaining("--max-memory must be a size such as 512m or 2g");
        assertThatThrownBy(() -> ClusterOptions.parse(List.of("--wrokers=2", "--", "java")))
                .hasMessageContaining("unknown cluster option '--wrokers=2'");
        assertThatThrownBy(() -> ClusterOptions.parse(List.of("-n", "2"))).hasMessageContaining("no worker command after --");
        assertThatThrownBy(() -> ClusterOptions.parse(List.of("--name=../x", "--", "java"))).hasMessageContaining("--name must be");
        assertThat(Cluster.run(List.of("frobnicate"))).isEqualTo(2);
    }
}
