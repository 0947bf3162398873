package io.eventide.http.internal.codec;

/**
 * Fuzz target: the server's request-head parser. Properties: no exception (errors are an
 * {@code ERROR} result with a status), never {@code NEED_MORE} with bytes unread, and the same
 * outcome, consumed byte count included, however the input is cut.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class RequestHeadFuzzer {
    private RequestHeadFuzzer() {
    }

    /** @param input the request bytes */
    public static void fuzzerTestOneInput(byte[] input) {
        SplitEverywhere.check(input, (cuts, kind) ->
                ParseHarness.parse(input, cuts, kind, new Http1RequestParser(TestLimits.DEFAULTS)));
    }
}
