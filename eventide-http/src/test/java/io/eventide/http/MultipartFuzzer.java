package io.eventide.http;

import io.eventide.http.internal.codec.SplitEverywhere;

import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target: the multipart/form-data parser, with the test suite's boundary. Properties: no
 * exception but {@link HttpException} (400 malformed, 413 over a limit), and the same parts, or
 * the same error, however the body is cut.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class MultipartFuzzer {
    private MultipartFuzzer() {
    }

    /** @param body the request body */
    public static void fuzzerTestOneInput(byte[] body) {
        SplitEverywhere.check(body, cuts -> {
            try {
                return describe(MultipartParserTest.parse(MultipartParserTest.B, body, cuts));
            } catch (HttpException e) {
                return "ERROR " + e.status() + " " + e.getMessage();
            }
        });
    }

    private static String describe(List<MultipartParserTest.Part> parts) {
        StringBuilder s = new StringBuilder();
        for (MultipartParserTest.Part p : parts) {
            s.append(p.head()).append(" ").append(p.data().length).append(":").append(Arrays.hashCode(p.data()))
                    .append('\n');
        }
        return s.toString();
    }
}
