package io.eventide.http.internal.codec;

import static io.eventide.http.internal.codec.ParseHarness.parseEveryWay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eventide.http.HttpHeaders;
import io.eventide.http.internal.codec.Http1RequestParser.Result;

import com.sun.management.ThreadMXBean;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class Http1RequestParserTest {
    private static final String BROWSER_GET = "GET /static/app.js?v=3&lang=en HTTP/1.1\r\n"
            + "Host: example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0\r\n"
            + "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Cookie: session=abc; theme=dark\r\n"
            + "Cache-Control: no-cache\r\n"
            + "X-Custom-Thing: \t spaced value \t \r\n"
            + "Empty:\r\n"
            + "Sec-Fetch-Mode: cors\r\n"
            + "\r\n";

    @Test
    void parsesBrowserGetWithManyHeadersIdenticallyHoweverSplit() {
        assertThat(parseEveryWay(BROWSER_GET)).isEqualTo("HEAD@" + BROWSER_GET.length()
                + " GET /static/app.js?v=3&lang=en HTTP/1.1 path=/static/app.js query=v=3&lang=en"
                + " cl=-1 keep-alive {Host: example.com"
                + "|User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"
                + "|Accept: text/html,application/xhtml+xml,*/*;q=0.8"
                + "|Accept-Encoding: gzip, deflate, br|Accept-Language: en-US,en;q=0.9"
                + "|Cookie: session=abc; theme=dark|Cache-Control: no-cache"
                + "|X-Custom-Thing: spaced value|Empty: |Sec-Fetch-Mode: cors}");
    }

    @Test
    void parsesPostWithContentLengthAndStopsBeforeTheBody() {
        String head = "POST /submit HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n"
                + "content-length: 5\r\n\r\n";
        assertThat(parseEveryWay(head + "hello")).isEqualTo("HEAD@" + head.length()
                + " POST /submit HTTP/1.1 path=/submit query=null cl=5 keep-alive"
                + " {Host: h|Content-Type: text/plain|Content-Length: 5}");
    }

    @Test
    void parsesChunkedPost() {
        String head = "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertThat(parseEveryWay(head + "5\r\nhello\r\n0\r\n\r\n")).isEqualTo("HEAD@" + head.length()
                + " POST /upload HTTP/1.1 path=/upload query=null cl=-1 chunked keep-alive"
                + " {Host: h|Transfer-Encoding: chunked}");
    }

    @Test
    void acceptsChunkedSpreadOverListsAndLinesWithEmptyElements() {
        assertThat(parseEveryWay("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: , CHUNKED ,\r\n\r\n"))
                .contains(" chunked ");
    }

    @Test
    void derivesKeepAliveFromVersionAndConnectionTokens() {
        assertThat(parseEveryWay("GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, CLOSE\r\n\r\n"))
                .contains(" close {");
        assertThat(parseEveryWay("GET / HTTP/1.0\r\n\r\n")).contains("HTTP/1.0").contains(" close {");
        assertThat(parseEveryWay("GET / HTTP/1.0\r\nConnection: foo,keep-alive\r\n\r\n"))
                .contains(" keep-alive {");
        assertThat(parseEveryWay("GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n"))
                .contains(" keep-alive {");
    }

    @Test
    void derivesExpectContinueOnlyForHttp11() {
        assertThat(parseEveryWay("PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n"
                + "Expect: 100-Continue\r\n\r\n")).contains(" expect-continue ");
        assertThat(parseEveryWay("PUT /f HTTP/1.0\r\nContent-Length: 9\r\nExpect: 100-continue\r\n\r\n"))
                .doesNotContain("expect-continue");
    }

    @Test
    void derivesUpgradeOnlyWithConnectionUpgrade() {
        String ws = "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        assertThat(parseEveryWay(ws)).contains(" upgrade {");
        assertThat(parseEveryWay("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n"))
                .doesNotContain(" upgrade {");
    }

    @Test
    void splitsTargetsOfEveryForm() {
        assertThat(parseEveryWay("GET http://example.com:8080/a/b?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"))
                .contains("path=/a/b query=x=1");
        assertThat(parseEveryWay("GET https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n"))
                .contains("path=/ query=null");
        assertThat(parseEveryWay("GET http://example.com?q HTTP/1.1\r\nHost: example.com\r\n\r\n"))
                .contains("path=/ query=q");
        assertThat(parseEveryWay("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")).contains("path=* query=null");
        assertThat(parseEveryWay("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"))
                .contains("path=example.com:443 query=null");
        assertThat(parseEveryWay("GET /?a=b?c HTTP/1.1\r\nHost: h\r\n\r\n")).contains("path=/ query=a=b?c");
        assertThat(parseEveryWay("GET /p? HTTP/1.1\r\nHost: h\r\n\r\n")).contains("path=/p query= ");
    }

    @Test
    void acceptsEveryFormOfAValidHost() {
        for (String host : new String[] {"example.com", "example.com:8080", "127.0.0.1:80", "[::1]", "[::1]:443",
                "[v1.x]", "a_b-c~d.e", "a%41b", "x!$&'()*+,;=y", "h:", ""}) {
            assertThat(parseEveryWay("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).as(host).startsWith("HEAD@");
        }
    }

    @Test
    void ignoresEmptyLinesBeforeTheRequestLine() {
        String request = "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n";
        assertThat(parseEveryWay(request)).startsWith("HEAD@" + request.length() + " GET / ");
    }

    @Test
    void acceptsExtensionMethodsAndObsTextValues() {
        assertThat(parseEveryWay("PURGE /x HTTP/1.1\r\nHost: h\r\nX-Name: caf\u00e9\r\n\r\n"))
                .contains("PURGE /x").contains("X-Name: caf\u00e9");
    }

    @Test
    void internsKnownMethodsAndHeaderNames() {
        HttpRequestHead head = parseWhole("GET / HTTP/1.1\r\nhOsT: h\r\nCONTENT-TYPE: a\r\nx-other: b\r\n\r\n");
        assertThat(head.method()).isSameAs("GET");
        assertThat(head.target()).isSameAs(parseWhole("GET / HTTP/1.1\r\nHost: h\r\n\r\n").target());
        assertThat(TestLimits.headers(head.fields()).name(0)).isSameAs(HttpHeaders.HOST);
        assertThat(TestLimits.headers(head.fields()).name(1)).isSameAs(HttpHeaders.CONTENT_TYPE);
        assertThat(TestLimits.headers(head.fields()).name(2)).isEqualTo("x-other");
        assertThat(TestLimits.headers(head.fields()).get("content-type")).isEqualTo("a");
        // Methods are case-sensitive (RFC 9110 §9.1): "get" is an extension method, not GET.
        assertThat(parseWhole("get / HTTP/1.1\r\nHost: h\r\n\r\n").method()).isEqualTo("get");
    }

    @Test
    void stopsAtEachHeadOfPipelinedRequests() {
        String first = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n";
        String second = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
        for (Feeds.Kind kind : Feeds.Kind.values()) {
            byte[] all = Feeds.bytes(first + "abc" + second + "GET /c");
            ByteBuffer in = Feeds.wrap(all, 0, all.length, kind);
            int start = in.position();
            Http1RequestParser parser = new Http1RequestParser(TestLimits.DEFAULTS);
            assertThat(parser.parse(in)).isEqualTo(Result.HEAD_COMPLETE);
            assertThat(in.position() - start).isEqualTo(first.length());
            assertThat(parser.head().contentLength()).isEqualTo(3);
            in.position(in.position() + 3);
            parser.reset();
            assertThat(parser.parse(in)).isEqualTo(Result.HEAD_COMPLETE);
            assertThat(parser.head().path()).isEqualTo("/b");
            assertThat(in.position() - start).isEqualTo(first.length() + 3 + second.length());
            parser.reset();
            assertThat(parser.parse(in)).isEqualTo(Result.NEED_MORE);
            assertThat(in.hasRemaining()).isFalse();
            assertThat(parser.inProgress()).isTrue();
        }
    }

    @Test
    void resultsAreStickyUntilReset() {
        Http1RequestParser parser = new Http1RequestParser(TestLimits.DEFAULTS);
        assertThatThrownBy(parser::head).isInstanceOf(IllegalStateException.class);
        assertThat(parser.inProgress()).isFalse();
        ByteBuffer in = ByteBuffer.wrap(Feeds.bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\nGET"));
        assertThat(parser.parse(in)).isEqualTo(Result.HEAD_COMPLETE);
        int position = in.position();
        assertThat(parser.parse(in)).isEqualTo(Result.HEAD_COMPLETE);
        assertThat(in.position()).isEqualTo(position);
        assertThat(parser.inProgress()).isFalse();
        assertThat(parser.errorStatus()).isZero();
        assertThat(parser.errorReason()).isNull();
        parser.reset();
        assertThat(parser.parse(ByteBuffer.wrap(Feeds.bytes("BAD\r\n")))).isEqualTo(Result.ERROR);
        assertThat(parser.parse(in)).isEqualTo(Result.ERROR);
        assertThat(in.position()).isEqualTo(position);
    }

    @Test
    void reusesOneParserForManyRequests() {
        Http1RequestParser parser = new Http1RequestParser(TestLimits.DEFAULTS);
        for (int i = 0; i < 1000; i++) {
            parser.reset();
            String request = "GET /r" + i + " HTTP/1.1\r\nHost: h\r\nX-Pad: " + "p".repeat(i * 7) + "\r\n\r\n";
            byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
            int cut = i % bytes.length;
            assertThat(parser.parse(ByteBuffer.wrap(bytes, 0, cut))).isEqualTo(Result.NEED_MORE);
            assertThat(parser.parse(ByteBuffer.wrap(bytes, cut, bytes.length - cut)))
                    .isEqualTo(Result.HEAD_COMPLETE);
            assertThat(parser.head().path()).isEqualTo("/r" + i);
            assertThat(TestLimits.headers(parser.head().fields()).get("x-pad")).hasSize(i * 7);
        }
    }

    @Test
    void allocatesNothingUntilTheHeadIsComplete() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        byte[] request = Feeds.bytes(BROWSER_GET);
        List<ByteBuffer> pieces = new ArrayList<>();
        for (int i = 0; i + 7 < request.length; i += 7) {
            pieces.add(Feeds.wrap(request, i, i + 7, Feeds.kind(i)));
        }
        Http1RequestParser parser = new Http1RequestParser(TestLimits.DEFAULTS);
        feedAll(parser, pieces, 2000); // warm up: grow the buffer, compile the paths
        long before = threads.getCurrentThreadAllocatedBytes();
        feedAll(parser, pieces, 200);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // 200 heads of ~60 partial reads each: a single allocation per call would be >= 192 KB.
        assertThat(allocated).isLessThan(4096);
    }

    @Test
    void headsThatArriveWholeLeaveNoBufferOnTheConnection() {
        Http1RequestParser parser = new Http1RequestParser(TestLimits.DEFAULTS);
        for (ByteBuffer in : List.of(direct(BROWSER_GET), ByteBuffer.wrap(Feeds.bytes(BROWSER_GET)))) {
            assertThat(parser.parse(in)).isEqualTo(Result.HEAD_COMPLETE);
            assertThat(parser.head().path()).isEqualTo("/static/app.js");
            parser.reset();
            // An idle keep-alive connection holds no head buffer: the bytes went through the
            // thread's scratch arrays (issue 18: 1.3 KiB per idle connection before).
            assertThat(parser.retainedBytes()).isZero();
        }
    }

    @Test
    void partialHeadsOfConnectionsSharingAThreadKeepTheirOwnBytes() {
        String other = "POST /other/place?x=1 HTTP/1.1\r\nHost: elsewhere.example\r\nContent-Length: 0\r\n"
                + "X-A: 1\r\nX-B: 2\r\nX-C: 3\r\nX-D: 4\r\nX-E: 5\r\nX-F: 6\r\nX-G: 7\r\nX-H: 8\r\n"
                + "X-I: 9\r\nX-J: 10\r\nX-K: 11\r\nX-L: 12\r\nX-M: 13\r\nX-N: 14\r\nX-O: 15\r\nX-P: 16\r\n\r\n";
        Http1RequestParser a = new Http1RequestParser(TestLimits.DEFAULTS);
        Http1RequestParser b = new Http1RequestParser(TestLimits.DEFAULTS);
        int half = BROWSER_GET.length() / 2;
        for (int round = 0; round < 2; round++) {
            assertThat(a.parse(direct(BROWSER_GET.substring(0, half)))).isEqualTo(Result.NEED_MORE);
            // b uses the thread's scratch arrays, which a's first half went through: a must have kept its own copy.
            assertThat(b.parse(direct(other.substring(0, 40)))).isEqualTo(Result.NEED_MORE);
            assertThat(b.parse(direct(other.substring(40)))).isEqualTo(Result.HEAD_COMPLETE);
            assertThat(a.parse(direct(BROWSER_GET.substring(half)))).isEqualTo(Result.HEAD_COMPLETE);
            assertThat(a.head().path()).isEqualTo("/static/app.js");
            assertThat(TestLimits.headers(a.head().fields()).get("cookie")).isEqualTo("session=abc; theme=dark");
            assertThat(TestLimits.headers(a.head().fields()).get("sec-fetch-mode")).isEqualTo("cors");
            assertThat(a.head().fields().size()).isEqualTo(10);
            assertThat(b.head().path()).isEqualTo("/other/place");
            assertThat(b.head().fields().size()).isEqualTo(18);
            assertThat(TestLimits.headers(b.head().fields()).get("x-p")).isEqualTo("16");
            a.reset();
            b.reset();
        }
    }

    private static ByteBuffer direct(String s) {
        byte[] bytes = Feeds.bytes(s);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    private static void feedAll(Http1RequestParser parser, List<ByteBuffer> pieces, int rounds) {
        for (int round = 0; round < rounds; round++) {
            parser.reset();
            for (int i = 0; i < pieces.size(); i++) {
                ByteBuffer piece = pieces.get(i);
                piece.position(piece.limit() - 7);
                if (parser.parse(piece) != Result.NEED_MORE) {
                    throw new AssertionError(parser.result());
                }
            }
        }
    }

    @Test
    void decodesHeaderStringsOnceAndOnlyWhenAsked() {
        HttpRequestHead head = parseWhole("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
        assertThat(head.contentLength()).isZero();
        assertThat(head.hasBody()).isFalse();
        HttpHeaders headers = TestLimits.headers(head.fields());
        assertThat(head.fields()).isSameAs(head.fields());
        assertThat(headers.get("content-length")).isEqualTo("0");
        assertThat(parseWhole("GET / HTTP/1.0\r\n\r\n").fields().size() == 0).isTrue();
    }

    @Test
    void describesHeadWithoutFieldValues() {
        assertThat(parseWhole("GET /p?secret HTTP/1.1\r\nHost: h\r\n\r\n"))
                .hasToString("HttpRequestHead[GET /p HTTP/1.1]");
    }

    static HttpRequestHead parseWhole(String request) {
        Http1RequestParser parser = new Http1RequestParser(TestLimits.DEFAULTS);
        assertThat(parser.parse(ByteBuffer.wrap(Feeds.bytes(request)))).isEqualTo(Result.HEAD_COMPLETE);
        return parser.head();
    }
}
