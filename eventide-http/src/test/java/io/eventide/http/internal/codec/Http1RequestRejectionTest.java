package io.eventide.http.internal.codec;

import static io.eventide.http.internal.codec.ParseHarness.parseEveryWay;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every strict rejection, each checked whole, byte by byte and split at every offset. */
class Http1RequestRejectionTest {
    private static final String HOST = "Host: h\r\n";

    static Stream<Arguments> invalidRequests() {
        return Stream.of(requestLines(), lineEndings(), fields(), contentLengths(), transferEncodings()).flatMap(s -> s);
    }

    /** Request line and target form (RFC 9112 §3). */
    private static Stream<Arguments> requestLines() {
        return Stream.of(
                bad("GET  / HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request line"),
                bad("GET /  HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid HTTP version"),
                bad(" GET / HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid method"),
                bad("G(T / HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid method"),
                bad("GET\t/ HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid method"),
                bad("GET / HTTP/1.1 \r\n" + HOST + "\r\n", 400, "invalid HTTP version"),
                bad("GET /a\u0001b HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request target"),
                bad("GET /a\u007fb HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request target"),
                bad("GET /caf\u00e9 HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request target"),
                bad("GET /a#frag HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request target"),
                bad("GET /\r\n" + HOST + "\r\n", 400, "invalid request target"),
                bad("GET / http/1.1\r\n" + HOST + "\r\n", 400, "invalid HTTP version"),
                bad("GET / HTTP/1.1x\r\n" + HOST + "\r\n", 400, "invalid HTTP version"),
                bad("GET / HTTP/11\r\n" + HOST + "\r\n", 400, "invalid HTTP version"),
                bad("GET / HTTP/1.10\r\n" + HOST + "\r\n", 400, "invalid HTTP version"),
                bad("GET / HTTP/2.0\r\n" + HOST + "\r\n", 505, "HTTP version not supported"),
                bad("GET / HTTP/1.2\r\n" + HOST + "\r\n", 505, "HTTP version not supported"),
                bad("GET / HTTP/0.9\r\n" + HOST + "\r\n", 505, "HTTP version not supported"),
                bad("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001", 400, "invalid method"),
                bad("GET * HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request target"),
                bad("GET example.com HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request target"),
                bad("GET http:/x HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request target"),
                bad("CONNECT /x HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request target"),
                bad("CONNECT u@h:1 HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid request target"));
    }

    /** Bare CR and bare LF anywhere (RFC 9112 §2.2). */
    private static Stream<Arguments> lineEndings() {
        return Stream.of(
                bad("GET / HTTP/1.1\n" + HOST + "\r\n", 400, "bare LF"),
                bad("GET / HTTP/1.1\rHost: h\r\n\r\n", 400, "bare CR"),
                bad("GET / HTTP/1.1\r\nHost: h\n\r\n", 400, "bare LF"),
                bad("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n", 400, "bare CR"),
                bad("GET / HTTP/1.1\r\nHost: h\r\n\n", 400, "bare LF"),
                bad("GET / HTTP/1.1\r\nHost: h\r\n\rX", 400, "bare CR"),
                bad("GET / HTTP/1.1\r\nX: a\rb\r\n" + HOST + "\r\n", 400, "bare CR"),
                bad("\r\r\nGET / HTTP/1.1\r\n" + HOST + "\r\n", 400, "bare CR"),
                bad("\nGET / HTTP/1.1\r\n" + HOST + "\r\n", 400, "bare LF"));
    }

    /** Field syntax (RFC 9112 §5, RFC 9110 §5.5) and Host (RFC 9112 §3.2). */
    private static Stream<Arguments> fields() {
        return Stream.of(
                bad("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, "whitespace before colon"),
                bad("GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400, "whitespace before colon"),
                bad("GET / HTTP/1.1\r\n" + HOST + "X: a\r\n b\r\n\r\n", 400, "obsolete line folding"),
                bad("GET / HTTP/1.1\r\n" + HOST + "X: a\r\n\tb\r\n\r\n", 400, "obsolete line folding"),
                bad("GET / HTTP/1.1\r\n " + HOST + "\r\n", 400, "obsolete line folding"),
                bad("GET / HTTP/1.1\r\n: h\r\n\r\n", 400, "invalid header name"),
                bad("GET / HTTP/1.1\r\nHo(st: h\r\n\r\n", 400, "invalid header name"),
                bad("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400, "invalid header name"),
                bad("GET / HTTP/1.1\r\n" + HOST + "X: a\u0000b\r\n\r\n", 400, "invalid header value"),
                bad("GET / HTTP/1.1\r\n" + HOST + "X: a\u007fb\r\n\r\n", 400, "invalid header value"),
                bad("GET / HTTP/1.1\r\n" + HOST + "X: a\u001bb\r\n\r\n", 400, "invalid header value"),
                bad("GET / HTTP/1.1\r\n\r\n", 400, "missing Host header"),
                bad("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", 400, "more than one Host header"),
                // Issue 9, defect 3: Host = uri-host [ ":" port ] (RFC 9112 §3.2, RFC 3986 §3.2.2).
                bad("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "invalid Host header"),
                bad("GET / HTTP/1.1\r\nHost: a\tb\r\n\r\n", 400, "invalid Host header"),
                bad("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "invalid Host header"),
                bad("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, "invalid Host header"),
                bad("GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", 400, "invalid Host header"),
                bad("GET / HTTP/1.1\r\nHost: a:1:2\r\n\r\n", 400, "invalid Host header"),
                bad("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400, "invalid Host header"),
                bad("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", 400, "invalid Host header"),
                bad("GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", 400, "invalid Host header"),
                bad("GET / HTTP/1.1\r\nHost: \"a\"\r\n\r\n", 400, "invalid Host header"));
    }

    /** Content-Length (RFC 9110 §8.6, RFC 9112 §6.3). */
    private static Stream<Arguments> contentLengths() {
        return Stream.of(
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n",
                        400, "duplicate Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5, 5\r\n\r\n", 400, "invalid Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length: +5\r\n\r\n", 400, "invalid Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length: -1\r\n\r\n", 400, "invalid Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 0x10\r\n\r\n", 400, "invalid Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length:\r\n\r\n", 400, "invalid Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 1 2\r\n\r\n", 400, "invalid Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 9223372036854775808\r\n\r\n",
                        400, "invalid Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 99999999999999999999999\r\n\r\n",
                        400, "invalid Content-Length"));
    }

    /** Transfer-Encoding (RFC 9112 §6.1, §6.3). */
    private static Stream<Arguments> transferEncodings() {
        return Stream.of(
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
                        400, "both Transfer-Encoding and Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                        400, "both Transfer-Encoding and Content-Length"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip\r\n\r\n",
                        400, "Transfer-Encoding does not end with chunked"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked, gzip\r\n\r\n",
                        400, "Transfer-Encoding does not end with chunked"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
                        400, "Transfer-Encoding does not end with chunked"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding:\r\n\r\n",
                        400, "Transfer-Encoding does not end with chunked"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip, chunked\r\n\r\n",
                        501, "unsupported transfer coding"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked, chunked\r\n\r\n",
                        400, "invalid Transfer-Encoding"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                        400, "invalid Transfer-Encoding"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked;x=1\r\n\r\n",
                        400, "invalid Transfer-Encoding"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: \"chunked\"\r\n\r\n",
                        400, "invalid Transfer-Encoding"),
                bad("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: xchunked\r\n\r\n",
                        400, "Transfer-Encoding does not end with chunked"),
                bad("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                        400, "Transfer-Encoding in an HTTP/1.0 request"));
    }

    private static Arguments bad(String request, int status, String reason) {
        return Arguments.of(printable(request), request, status, reason);
    }

    private static String printable(String request) {
        StringBuilder s = new StringBuilder();
        for (char c : request.toCharArray()) {
            s.append(c == '\r' ? "\\r" : c == '\n' ? "\\n"
                    : c < 0x20 || c >= 0x7F ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void rejects(String name, String request, int status, String reason) {
        assertThat(parseEveryWay(request)).isEqualTo("ERROR " + status + " " + reason);
    }
}
