package io.eventide.core.dns;

import io.eventide.core.testing.Fuzzing;
import org.junit.jupiter.api.Test;

/**
 * The DNS decoder's fuzz target, a few seconds in every build (seeds and regression inputs in
 * {@code src/test/resources/fuzz/DnsFuzzer}); {@code fuzz/run.sh DnsFuzzer 30} runs it longer.
 */
class DnsFuzzTest {
    @Test
    void dnsDecoderSurvivesFuzzing() throws Exception {
        Fuzzing.assertClean(Fuzzing.runInSuite(DnsFuzzer.class.getName()));
    }
}
