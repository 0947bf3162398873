package io.eventide.lab.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleDriverIT {

    @Test
    void holdsConnectionsInStepsEachAnsweredOnce() throws Exception {
        try (FixedDelayServer server = new FixedDelayServer(0, -1, 0);
                IdleDriver idle = new IdleDriver("127.0.0.1", server.port())) {
            assertThat(idle.growTo(100, Duration.ofSeconds(30))).isEqualTo(100);
            assertThat(idle.growTo(300, Duration.ofSeconds(30))).isEqualTo(300);
            assertThat(idle.growTo(200, Duration.ofSeconds(30))).as("never shrinks").isEqualTo(300);
            // Every connection was answered, so the server has accepted all of them.
            assertThat(server.connections()).isEqualTo(300);
            assertThat(idle.alive()).isEqualTo(300);
        }
    }
}
