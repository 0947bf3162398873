package io.eventide.http.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.http.HttpHeaders;
import io.eventide.http.internal.codec.Http1ResponseParser.Result;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link Http1ResponseParser}, fed every response whole, byte by byte, split at every offset and
 * at random, in heap, direct and read-only buffers: every cutting must give the same outcome.
 */
class Http1ResponseParserTest {
    private static final Http1Limits SMALL = new Http1Limits(24, 64, 3, 16, 40);

    @Test
    void parsesAHeadAndStopsAtTheBody() {
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Id: 7\r\n\r\nhello"))
                .isEqualTo("HEAD@47 HTTP/1.1 200 [OK] cl=5 keep-alive {Content-Length: 5|X-Id: 7}");
    }

    @Test
    void registeredReasonPhrasesAreInterned() {
        Http1ResponseParser p = new Http1ResponseParser(TestLimits.DEFAULTS);
        assertThat(p.parse(ByteBuffer.wrap(Feeds.bytes("HTTP/1.1 404 Not Found\r\n\r\n")))).isEqualTo(Result.HEAD_COMPLETE);
        assertThat(p.head().reason()).isSameAs(Http1ResponseEncoder.reasonPhrase(404));
    }

    @Test
    void readsFraming() {
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .contains("cl=-1 chunked keep-alive");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")).contains("cl=-1 close");
        assertThat(parseEveryWay("HTTP/1.0 200 OK\r\n\r\n")).contains("HTTP/1.0 200 [OK] cl=-1 close");
        assertThat(parseEveryWay("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"))
                .contains("cl=0 keep-alive");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: x, close\r\n\r\n"))
                .contains("chunked close");
    }

    @Test
    void acceptsEmptyAndMissingReasonPhrasesAndObsText() {
        assertThat(parseEveryWay("HTTP/1.1 299 \r\n\r\n")).startsWith("HEAD@17 HTTP/1.1 299 []");
        assertThat(parseEveryWay("HTTP/1.1 204\r\n\r\n")).startsWith("HEAD@16 HTTP/1.1 204 []");
        assertThat(parseEveryWay("HTTP/1.1 200 Tr\u00e8s\tbien !\r\n\r\n")).contains("[Tr\u00e8s\tbien !]");
    }

    @Test
    void bodyRulesFollowRfc9112Section6_3() {
        HttpResponseHead ok = head("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
        assertThat(ok.hasBody(false)).isTrue();
        assertThat(ok.hasBody(true)).as("response to HEAD").isFalse();
        assertThat(head("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n").hasBody(false)).isFalse();
        assertThat(head("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n").hasBody(false)).isFalse();
        assertThat(head("HTTP/1.1 100 Continue\r\n\r\n").isInterim()).isTrue();
        assertThat(head("HTTP/1.1 103 Early Hints\r\n\r\n").hasBody(false)).isFalse();
        assertThat(head("HTTP/1.1 200 OK\r\n\r\n").closeDelimited()).isTrue();
        assertThat(ok.closeDelimited()).isFalse();
    }

    @Test
    void rejectsMalformedStatusLines() {
        assertThat(parseEveryWay("HTTP/1.1 2OO OK\r\n\r\n")).isEqualTo("ERROR invalid status code");
        assertThat(parseEveryWay("HTTP/1.1 20 OK\r\n\r\n")).isEqualTo("ERROR invalid status code");
        assertThat(parseEveryWay("HTTP/1.1 2000 OK\r\n\r\n")).isEqualTo("ERROR invalid status code");
        assertThat(parseEveryWay("HTTP/1.1 099 Low\r\n\r\n")).isEqualTo("ERROR invalid status code");
        assertThat(parseEveryWay("HTTP/1.1 600 High\r\n\r\n")).isEqualTo("ERROR invalid status code");
        assertThat(parseEveryWay("HTTP/1.1  200 OK\r\n\r\n")).isEqualTo("ERROR invalid status code");
        assertThat(parseEveryWay("http/1.1 200 OK\r\n\r\n")).isEqualTo("ERROR invalid status line");
        assertThat(parseEveryWay("ICY 200 OK\r\n\r\n")).isEqualTo("ERROR invalid status line");
        assertThat(parseEveryWay("HTTP/1.1\t200 OK\r\n\r\n")).isEqualTo("ERROR invalid status line");
        assertThat(parseEveryWay("\r\nHTTP/1.1 200 OK\r\n\r\n")).isEqualTo("ERROR invalid status line");
        assertThat(parseEveryWay("HTTP/2 200 OK\r\n\r\n")).isEqualTo("ERROR unsupported HTTP version");
        assertThat(parseEveryWay("HTTP/1.2 200 OK\r\n\r\n")).isEqualTo("ERROR unsupported HTTP version");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\n\r\n")).isEqualTo("ERROR bare LF");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\rX\r\n")).isEqualTo("ERROR bare CR");
        assertThat(parseEveryWay("HTTP/1.1 200 O\u0001K\r\n\r\n")).isEqualTo("ERROR invalid reason phrase");
        assertThat(parseEveryWay("HTTP/1.1 200\n\r\n")).isEqualTo("ERROR invalid status code");
    }

    @Test
    void rejectsMalformedFields() {
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nA : b\r\n\r\n")).isEqualTo("ERROR whitespace before colon");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n")).isEqualTo("ERROR obsolete line folding");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nA: b\nC: d\r\n\r\n")).isEqualTo("ERROR bare LF");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nA: b\u0000\r\n\r\n")).isEqualTo("ERROR invalid header value");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\n: b\r\n\r\n")).isEqualTo("ERROR invalid header name");
    }

    @Test
    void rejectsAmbiguousFraming() {
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"))
                .isEqualTo("ERROR duplicate Content-Length");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n")).isEqualTo("ERROR invalid Content-Length");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")).isEqualTo("ERROR invalid Content-Length");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"))
                .isEqualTo("ERROR invalid Content-Length");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"))
                .isEqualTo("ERROR both Transfer-Encoding and Content-Length");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
                .isEqualTo("ERROR unsupported transfer coding");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"))
                .isEqualTo("ERROR unsupported transfer coding");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .isEqualTo("ERROR invalid Transfer-Encoding");
        assertThat(parseEveryWay("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .isEqualTo("ERROR Transfer-Encoding in an HTTP/1.0 response");
    }

    @Test
    void enforcesLimitsAndNamesThem() {
        assertThat(parseEveryWay("HTTP/1.1 200 " + "x".repeat(11) + "\r\n\r\n", SMALL)).startsWith("HEAD@");
        assertThat(parseEveryWay("HTTP/1.1 200 " + "x".repeat(12) + "\r\n\r\n", SMALL))
                .isEqualTo("ERROR status line exceeds max-status-line-bytes (24)");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\na: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n\r\n", SMALL))
                .isEqualTo("ERROR response head exceeds max-header-count (3)");
        assertThat(parseEveryWay("HTTP/1.1 200 OK\r\nA: " + "v".repeat(70) + "\r\n\r\n", SMALL))
                .isEqualTo("ERROR response head exceeds max-header-bytes (64)");
    }

    @Test
    void resetsForTheNextResponseAfterAnInterimOne() {
        byte[] input = Feeds.bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        Http1ResponseParser p = new Http1ResponseParser(TestLimits.DEFAULTS);
        ByteBuffer in = ByteBuffer.wrap(input);
        assertThat(p.parse(in)).isEqualTo(Result.HEAD_COMPLETE);
        assertThat(p.head().status()).isEqualTo(100);
        p.reset();
        assertThat(p.inProgress()).isFalse();
        assertThat(p.parse(in)).isEqualTo(Result.HEAD_COMPLETE);
        assertThat(p.head().status()).isEqualTo(201);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void reportsProgressAndStaysDoneUntilReset() {
        Http1ResponseParser p = new Http1ResponseParser(TestLimits.DEFAULTS);
        assertThat(p.inProgress()).isFalse();
        assertThat(p.parse(ByteBuffer.wrap(Feeds.bytes("HTTP/1.1 2")))).isEqualTo(Result.NEED_MORE);
        assertThat(p.inProgress()).isTrue();
        ByteBuffer rest = ByteBuffer.wrap(Feeds.bytes("00 OK\r\n\r\nbody"));
        assertThat(p.parse(rest)).isEqualTo(Result.HEAD_COMPLETE);
        assertThat(p.parse(rest)).isEqualTo(Result.HEAD_COMPLETE);
        assertThat(rest.remaining()).isEqualTo(4);
    }

    // ------------------------------------------------------------------------------------------

    private static HttpResponseHead head(String response) {
        Http1ResponseParser p = new Http1ResponseParser(TestLimits.DEFAULTS);
        assertThat(p.parse(ByteBuffer.wrap(Feeds.bytes(response)))).isEqualTo(Result.HEAD_COMPLETE);
        return p.head();
    }

    private static String parseEveryWay(String response) {
        return parseEveryWay(response, TestLimits.DEFAULTS);
    }

    /** {@return the outcome shared by every cutting of {@code response}} */
    private static String parseEveryWay(String response, Http1Limits limits) {
        byte[] input = Feeds.bytes(response);
        String expected = parse(input, new int[0], Feeds.Kind.HEAP, new Http1ResponseParser(limits));
        List<int[]> cuttings = Feeds.cuttings(input.length);
        Http1ResponseParser reused = new Http1ResponseParser(limits);
        for (int[] cuts : cuttings) {
            for (Feeds.Kind kind : Feeds.Kind.values()) {
                reused.reset();
                assertThat(parse(input, cuts, kind, reused))
                        .as("cut at %s, %s buffers", Arrays.toString(cuts), kind)
                        .isEqualTo(expected);
            }
        }
        return expected;
    }

    static String parse(byte[] input, int[] cuts, Feeds.Kind kind, Http1ResponseParser parser) {
        int from = 0;
        for (int piece = 0; piece <= cuts.length; piece++) {
            int to = piece < cuts.length ? cuts[piece] : input.length;
            ByteBuffer in = Feeds.wrap(input, from, to, kind);
            int start = in.position();
            Result result = parser.parse(in);
            if (result == Result.NEED_MORE && in.hasRemaining()) {
                return "BUG: NEED_MORE left " + in.remaining() + " bytes";
            }
            if (result == Result.ERROR) {
                return "ERROR " + parser.errorReason();
            }
            if (result == Result.HEAD_COMPLETE) {
                return "HEAD@" + (from + in.position() - start) + " " + describe(parser.head());
            }
            from = to;
        }
        return "NEED_MORE";
    }

    static String describe(HttpResponseHead head) {
        StringBuilder s = new StringBuilder().append(head.version().text()).append(' ').append(head.status())
                .append(" [").append(head.reason()).append("] cl=").append(head.contentLength())
                .append(head.chunked() ? " chunked" : "").append(head.keepAlive() ? " keep-alive" : " close")
                .append(" {");
        HttpHeaders headers = TestLimits.headers(head.fields());
        for (int i = 0; i < headers.size(); i++) {
            s.append(i == 0 ? "" : "|").append(headers.name(i)).append(": ").append(headers.value(i));
        }
        return s.append('}').toString();
    }
}
