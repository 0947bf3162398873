package io.eventide.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Crash restarts back off exponentially, up to a ceiling. */
class SlotTest {
    @Test
    void restartDelayDoublesPerCrashInARowUpToTheCeiling() {
        Slot s = new Slot(1);
        Duration first = Duration.ofMillis(100);
        Duration max = Duration.ofMillis(1000);
        assertThat(s.nextRestartDelay(first, max)).isEqualTo(Duration.ofMillis(100));
        assertThat(s.nextRestartDelay(first, max)).isEqualTo(Duration.ofMillis(200));
        assertThat(s.nextRestartDelay(first, max)).isEqualTo(Duration.ofMillis(400));
        assertThat(s.nextRestartDelay(first, max)).isEqualTo(Duration.ofMillis(800));
        assertThat(s.nextRestartDelay(first, max)).isEqualTo(Duration.ofMillis(1000));
        for (int i = 0; i < 100; i++) {
            assertThat(s.nextRestartDelay(first, max)).isEqualTo(Duration.ofMillis(1000));
        }
        assertThat(s.crashesInARow).isEqualTo(105);
    }
}
