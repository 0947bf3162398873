package io.eventide.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, defect 10: the first {@code /json} request blocked its loop for about 100 ms while
 * Jackson set itself up on the loop. Run in a fresh JVM (in this one Jackson is warm already): the
 * watchdog, at 50 ms, must not catch the loop inside Jackson.
 */
class JsonColdStartIT {
    @Test
    void theFirstJsonRequestDoesNotBlockTheLoopInJackson() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(), ColdJsonApp.class.getName())
                .redirectErrorStream(true).start();
        try {
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly(); // else reading its output below would wait for it forever
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(exited).as("the app finished; output:%n%s", out).isTrue();
            assertThat(out).contains("done").doesNotContain("blocked in Jackson");
        } finally {
            p.destroyForcibly();
        }
    }
}
