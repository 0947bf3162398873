package io.eventide.http.internal.server;

import io.eventide.http.internal.codec.ParseHarness;
import io.eventide.http.internal.codec.SplitEverywhere;
import io.eventide.http.internal.codec.TestLimits;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz target: a connection's whole request stream through the server's {@link RequestDecoder}:
 * pipelined requests, each a head then its body (Content-Length or chunked, trailers included),
 * as {@code Http1ServerConnection} drives it. Properties: no exception (errors are an
 * {@code ERROR} event with a status); never {@code NEED_MORE} with bytes unread; every byte is
 * consumed by a request or by the one in progress at the end; the same requests, bodies, end
 * offsets and error however the stream is cut.
 *
 * <p><b>Threading:</b> called by Jazzer on its thread.
 */
public final class RequestStreamFuzzer {
    /** A stream of more requests than this is cut short (each is still fully checked). */
    private static final int MAX_REQUESTS = 64;

    private RequestStreamFuzzer() {
    }

    /** @param input the bytes a client sends on one connection */
    public static void fuzzerTestOneInput(byte[] input) {
        SplitEverywhere.check(input, cuts -> run(input, cuts));
    }

    static String run(byte[] input, int[] cuts) {
        RequestDecoder d = new RequestDecoder(TestLimits.DEFAULTS);
        StringBuilder log = new StringBuilder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean inBody = false;
        int requests = 0;
        long consumed = 0;
        int from = 0;
        for (int piece = 0; piece <= cuts.length; piece++) {
            int to = piece < cuts.length ? cuts[piece] : input.length;
            ByteBuffer in = ByteBuffer.wrap(Arrays.copyOfRange(input, from, to)).asReadOnlyBuffer();
            from = to;
            RequestDecoder.Event e;
            do {
                int start = in.position();
                e = inBody ? d.decodeBody(in) : d.decodeHead(in);
                consumed += in.position() - start;
                switch (e) {
                    case NEED_MORE -> {
                        if (in.hasRemaining()) {
                            return log + "BUG: NEED_MORE left " + in.remaining() + " bytes";
                        }
                    }
                    case ERROR -> {
                        return log + "ERROR " + d.errorStatus() + " " + d.errorReason();
                    }
                    case HEAD -> {
                        log.append("HEAD ").append(ParseHarness.describe(d.head())).append('\n');
                        inBody = true;
                    }
                    case DATA -> {
                        ByteBuffer v = d.data();
                        byte[] b = new byte[v.remaining()];
                        v.get(b);
                        body.writeBytes(b);
                    }
                    case END -> {
                        log.append("BODY ").append(body.toString(StandardCharsets.ISO_8859_1)).append(" END@")
                                .append(consumed).append('\n');
                        body.reset();
                        d.reset();
                        inBody = false;
                        if (++requests == MAX_REQUESTS) {
                            return log.toString();
                        }
                    }
                    default -> throw new AssertionError(e);
                }
            } while (e != RequestDecoder.Event.NEED_MORE);
        }
        if (consumed != input.length) {
            return log + "BUG: consumed " + consumed + " of " + input.length + " bytes";
        }
        return log + (inBody ? "BODY-SO-FAR " + body.size() : "IDLE");
    }
}
