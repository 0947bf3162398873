package io.eventide.http.internal.codec;

/**
 * Fuzz target: the chunked body decoder (server requests, client responses), under the default
 * limits and under small ones (an odd first byte picks them), so that the line, trailer and
 * field-count limits are reached. Properties: no exception, no {@code NEED_MORE} with bytes
 * unread, the same data, trailers, end position or error however the input is cut.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class ChunkedFuzzer {
    private static final Http1Limits SMALL = new Http1Limits(64, 256, 3, 16, 40);

    private ChunkedFuzzer() {
    }

    /** @param input the body bytes */
    public static void fuzzerTestOneInput(byte[] input) {
        Http1Limits limits = input.length > 0 && (input[0] & 0x80) != 0 ? SMALL : TestLimits.DEFAULTS;
        SplitEverywhere.check(input, (cuts, kind) ->
                ChunkedDecoderTest.decode(input, cuts, kind, new ChunkedDecoder(limits)));
    }
}
