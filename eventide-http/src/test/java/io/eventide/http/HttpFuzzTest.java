package io.eventide.http;

import io.eventide.core.testing.Fuzzing;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every HTTP-side parser's fuzz target, a few seconds each in every build (seeds and regression
 * inputs in {@code src/test/resources/fuzz/<Target>}); {@code fuzz/run.sh all 30} runs them longer.
 */
class HttpFuzzTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "io.eventide.http.internal.codec.RequestHeadFuzzer",
        "io.eventide.http.internal.codec.ChunkedFuzzer",
        "io.eventide.http.internal.codec.ResponseHeadFuzzer",
        "io.eventide.http.internal.server.RequestStreamFuzzer",
        "io.eventide.http.internal.client.ResponseStreamFuzzer",
        "io.eventide.http.MultipartFuzzer",
        "io.eventide.http.websocket.FrameFuzzer",
        "io.eventide.http.websocket.DeflateFuzzer",
        "io.eventide.http.sse.SseFuzzer",
    })
    void parserSurvivesFuzzing(String target) throws Exception {
        Fuzzing.assertClean(Fuzzing.runInSuite(target));
    }
}
