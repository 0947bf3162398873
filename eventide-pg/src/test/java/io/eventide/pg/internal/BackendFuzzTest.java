package io.eventide.pg.internal;

import io.eventide.core.testing.Fuzzing;
import org.junit.jupiter.api.Test;

/**
 * The backend-message decoder's fuzz target, a few seconds in every build (seeds and regression
 * inputs in {@code src/test/resources/fuzz/BackendFuzzer}); {@code fuzz/run.sh BackendFuzzer 30}
 * runs it longer.
 */
class BackendFuzzTest {
    @Test
    void backendDecoderSurvivesFuzzing() throws Exception {
        Fuzzing.assertClean(Fuzzing.runInSuite(BackendFuzzer.class.getName()));
    }
}
