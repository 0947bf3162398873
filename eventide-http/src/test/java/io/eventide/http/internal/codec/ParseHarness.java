package io.eventide.http.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.http.HttpHeaders;
import io.eventide.http.internal.codec.Http1RequestParser.Result;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a request through {@link Http1RequestParser} cut every way {@link Feeds} knows, and checks
 * that every cutting gives the same outcome, described as one comparable string. Its
 * {@code describe} methods are shared with the fuzz targets of the server and client streams.
 *
 * <p><b>Threading:</b> pure functions; any thread.
 */
public final class ParseHarness {
    private ParseHarness() {
    }

    /** {@return the outcome shared by every cutting of {@code request}} */
    static String parseEveryWay(String request, Http1Limits limits) {
        byte[] input = Feeds.bytes(request);
        String expected = parse(input, new int[0], Feeds.Kind.HEAP, new Http1RequestParser(limits));
        List<int[]> cuttings = Feeds.cuttings(input.length);
        Http1RequestParser reused = new Http1RequestParser(limits);
        for (int i = 0; i < cuttings.size(); i++) {
            for (Feeds.Kind kind : Feeds.Kind.values()) {
                reused.reset();
                String actual = parse(input, cuttings.get(i), kind, reused);
                assertThat(actual)
                        .as("cut at %s, %s buffers", Arrays.toString(cuttings.get(i)), kind)
                        .isEqualTo(expected);
            }
        }
        return expected;
    }

    static String parseEveryWay(String request) {
        return parseEveryWay(request, TestLimits.DEFAULTS);
    }

    /** Feeds {@code input} cut at {@code cuts}; describes the outcome. */
    static String parse(byte[] input, int[] cuts, Feeds.Kind kind, Http1RequestParser parser) {
        int from = 0;
        for (int piece = 0; piece <= cuts.length; piece++) {
            int to = piece < cuts.length ? cuts[piece] : input.length;
            ByteBuffer in = Feeds.wrap(input, from, to, kind);
            int start = in.position();
            Result result = parser.parse(in);
            if (result == Result.NEED_MORE && in.hasRemaining()) {
                return "BUG: NEED_MORE left " + in.remaining() + " bytes";
            }
            if (result != Result.NEED_MORE) {
                return describe(parser, from + in.position() - start);
            }
            from = to;
        }
        return describe(parser, input.length);
    }

    /** @param head a parsed response head @return its fields in one comparable line */
    public static String describe(HttpResponseHead head) {
        return Http1ResponseParserTest.describe(head);
    }

    static String describe(Http1RequestParser parser, long consumed) {
        return switch (parser.result()) {
            case NEED_MORE -> "NEED_MORE";
            case ERROR -> "ERROR " + parser.errorStatus() + " " + parser.errorReason();
            case HEAD_COMPLETE -> "HEAD@" + consumed + " " + describe(parser.head());
        };
    }

    /** @param head a parsed request head @return its fields in one comparable line */
    public static String describe(HttpRequestHead head) {
        StringBuilder s = new StringBuilder()
                .append(head.method()).append(' ').append(head.target()).append(' ')
                .append(head.version().text()).append(" path=").append(head.path())
                .append(" query=").append(head.query()).append(" cl=").append(head.contentLength())
                .append(head.chunked() ? " chunked" : "").append(head.keepAlive() ? " keep-alive" : " close")
                .append(head.expect100Continue() ? " expect-continue" : "")
                .append(head.upgrade() ? " upgrade" : "").append(" {");
        HttpHeaders headers = TestLimits.headers(head.fields());
        for (int i = 0; i < headers.size(); i++) {
            s.append(i == 0 ? "" : "|").append(headers.name(i)).append(": ").append(headers.value(i));
        }
        return s.append('}').toString();
    }
}
