package io.eventide.http.internal.codec;

/**
 * Fuzz target: the client's response-head parser. Same properties as {@link RequestHeadFuzzer}.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class ResponseHeadFuzzer {
    private ResponseHeadFuzzer() {
    }

    /** @param input the response bytes */
    public static void fuzzerTestOneInput(byte[] input) {
        SplitEverywhere.check(input, (cuts, kind) ->
                Http1ResponseParserTest.parse(input, cuts, kind, new Http1ResponseParser(TestLimits.DEFAULTS)));
    }
}
