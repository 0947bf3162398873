package io.eventide.http.internal.client;

import io.eventide.http.internal.codec.ParseHarness;
import io.eventide.http.internal.codec.SplitEverywhere;
import io.eventide.http.internal.codec.TestLimits;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz target: what a server sends on one keep-alive connection, through the client's
 * {@link ResponseDecoder}: interim responses, heads, bodies (Content-Length, chunked with
 * trailers, or until the server closes), one response after the other, then the end of input. The
 * first input byte says whether the first request was a HEAD. Properties: no exception (errors are
 * an {@code ERROR} event with a reason); never {@code NEED_MORE} with bytes unread; every byte
 * consumed; the same responses, bodies, trailers, end offsets, error or truncation however the
 * stream is cut.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class ResponseStreamFuzzer {
    private static final int MAX_RESPONSES = 64;

    private ResponseStreamFuzzer() {
    }

    /** @param input a flags byte, then the bytes the server sends */
    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean head = (input[0] & 1) != 0;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        SplitEverywhere.check(stream, cuts -> run(stream, cuts, head));
    }

    private static String describe(io.eventide.http.HttpHeaders h) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < h.size(); i++) {
            s.append(i == 0 ? "" : "|").append(h.name(i)).append(": ").append(h.value(i));
        }
        return s.append('}').toString();
    }

    static String run(byte[] input, int[] cuts, boolean headRequest) {
        ResponseDecoder d = new ResponseDecoder(TestLimits.DEFAULTS);
        d.reset(headRequest);
        StringBuilder log = new StringBuilder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int responses = 0;
        long consumed = 0;
        int from = 0;
        for (int piece = 0; piece <= cuts.length; piece++) {
            int to = piece < cuts.length ? cuts[piece] : input.length;
            ByteBuffer in = ByteBuffer.wrap(Arrays.copyOfRange(input, from, to)).asReadOnlyBuffer();
            from = to;
            ResponseDecoder.Event e;
            do {
                int start = in.position();
                e = d.decode(in);
                consumed += in.position() - start;
                switch (e) {
                    case NEED_MORE -> {
                        if (in.hasRemaining()) {
                            return log + "BUG: NEED_MORE left " + in.remaining() + " bytes";
                        }
                    }
                    case ERROR -> {
                        return log + "ERROR " + d.error();
                    }
                    case HEAD -> log.append("HEAD ").append(ParseHarness.describe(d.head()))
                            .append(d.closeDelimited() ? " until-close" : "").append('\n');
                    case DATA -> {
                        ByteBuffer v = d.data();
                        byte[] b = new byte[v.remaining()];
                        v.get(b);
                        body.writeBytes(b);
                    }
                    case END -> {
                        log.append("BODY ").append(body.toString(StandardCharsets.ISO_8859_1)).append(" trailers=")
                                .append(describe(d.trailers())).append(" END@").append(consumed).append('\n');
                        body.reset();
                        d.reset(false);
                        if (++responses == MAX_RESPONSES) {
                            return log.toString();
                        }
                    }
                    default -> throw new AssertionError(e);
                }
            } while (e != ResponseDecoder.Event.NEED_MORE);
        }
        if (consumed != input.length) {
            return log + "BUG: consumed " + consumed + " of " + input.length + " bytes";
        }
        boolean ended = d.endOfInput();
        return log + "EOF " + (ended ? "BODY " + body.toString(StandardCharsets.ISO_8859_1) : "cut " + d.truncation());
    }
}
