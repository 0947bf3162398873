package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Byte-level conformance over a raw socket: framing, smuggling defences, limits, keep-alive. */
class HttpConformanceIT {
    static HttpServer server;

    @BeforeAll
    static void start() {
        server = TestServers.start(HttpOptions.builder().limits(HttpLimits.builder().maxStartLineBytes(1024).maxHeaderBytes(4096).maxHeaderCount(20)
                .build()).maxBodyBytes(1000).build(), s -> {
            s.get("/hello", (req, res) -> res.contentType("text/plain").end("hi"));
            s.post("/echo", (req, res) -> req.body().onSuccess(b -> res.end(b)));
            s.post("/ignore", (req, res) -> res.end("ignored"));
            s.get("/stream", (req, res) -> {
                res.write("a");
                res.write("bc");
                res.trailer("X-Checksum", "42");
                res.end();
            });
        });
    }

    @AfterAll
    static void stop() {
        TestServers.stop(server);
    }

    static Stream<Arguments> malformed() {
        String h = "Host: x\r\n";
        return Stream.of(
                Arguments.of("CL and TE together", "POST /echo HTTP/1.1\r\n" + h
                        + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("duplicate CL", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400),
                Arguments.of("CL list", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: 5, 5\r\n\r\nhello", 400),
                Arguments.of("CL not digits", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: +5\r\n\r\nhello", 400),
                Arguments.of("TE not ending in chunked", "POST /echo HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: chunked, identity\r\n\r\n", 400),
                Arguments.of("unsupported TE", "POST /echo HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501),
                Arguments.of("bare CR", "GET /hello HTTP/1.1\r\nHost: x\rX: y\r\n\r\n", 400),
                Arguments.of("bare LF", "GET /hello HTTP/1.1\nHost: x\n\n", 400),
                Arguments.of("obs-fold", "GET /hello HTTP/1.1\r\n" + h + "X-A: 1\r\n 2\r\n\r\n", 400),
                Arguments.of("space before colon", "GET /hello HTTP/1.1\r\nHost : x\r\n\r\n", 400),
                Arguments.of("bad token in name", "GET /hello HTTP/1.1\r\n" + h + "X(A): 1\r\n\r\n", 400),
                Arguments.of("bad method token", "G@T /hello HTTP/1.1\r\n" + h + "\r\n", 400),
                Arguments.of("missing Host", "GET /hello HTTP/1.1\r\n\r\n", 400),
                Arguments.of("two Hosts", "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("HTTP/2.0 in HTTP/1 framing", "GET /hello HTTP/2.0\r\n" + h + "\r\n", 505),
                Arguments.of("long request line", "GET /" + "a".repeat(2000) + " HTTP/1.1\r\n" + h + "\r\n", 414),
                Arguments.of("too many headers", "GET /hello HTTP/1.1\r\n" + h + "X: 1\r\n".repeat(30) + "\r\n", 431),
                Arguments.of("head too big", "GET /hello HTTP/1.1\r\n" + h + "X: " + "v".repeat(5000) + "\r\n\r\n", 431),
                Arguments.of("body over limit", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: 5000\r\n\r\n", 413),
                Arguments.of("chunked body over limit", "POST /echo HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n"
                        + "3e8\r\n" + "x".repeat(1000) + "\r\n10\r\n" + "y".repeat(16) + "\r\n0\r\n\r\n", 413),
                Arguments.of("bad chunk size", "POST /echo HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
                Arguments.of("oversized chunk line", "POST /echo HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n1;"
                        + "e".repeat(5000) + "\r\n", 400),
                Arguments.of("chunk data not followed by CRLF", "POST /echo HTTP/1.1\r\n" + h
                        + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n", 400),
                Arguments.of("TE in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0} -> {2} and close")
    @MethodSource("malformed")
    void malformedRequestsGetTheRightStatusAndAClose(String name, String request, int status) throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            String reply = c.send(request).readUntilClose();
            assertThat(reply).startsWith("HTTP/1.1 " + status + " ");
            assertThat(reply).contains("Connection: close\r\n");
            assertThat(RawHttp.occurrences(reply, "HTTP/1.1 ")).isEqualTo(1);
        }
    }

    @Test
    void hundredPipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        StringBuilder req = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            if (i % 3 == 0) {
                String body = "body-" + i;
                req.append("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ").append(body.length())
                        .append("\r\n\r\n").append(body);
            } else {
                req.append("GET /hello?i=").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
        }
        req.append("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        try (RawHttp c = new RawHttp(server.port())) {
            String reply = c.send(req.toString()).readUntilClose();
            assertThat(RawHttp.occurrences(reply, "HTTP/1.1 200 OK")).isEqualTo(101);
            int at = 0;
            for (int i = 0; i < 100; i++) {
                String expected = i % 3 == 0 ? "body-" + i : "hi";
                int head = reply.indexOf("HTTP/1.1 200 OK", at);
                int bodyStart = reply.indexOf("\r\n\r\n", head) + 4;
                assertThat(reply.substring(bodyStart, bodyStart + expected.length())).as("response %d", i).isEqualTo(expected);
                at = bodyStart;
            }
        }
    }

    @Test
    void pipelinedBytesSplitAtEveryOffsetGiveTheSameAnswers() throws Exception {
        String req = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1;ext=1\r\nc\r\n0\r\nT: 1\r\n\r\n"
                + "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        for (int split = 1; split < req.length(); split += 7) {
            try (RawHttp c = new RawHttp(server.port())) {
                c.send(req.substring(0, split));
                c.send(req.substring(split));
                String reply = c.readUntilClose();
                assertThat(reply).as("split at %d", split).contains("\r\n\r\nabc").endsWith("\r\n\r\nhi");
            }
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveAndStreamsAreCloseDelimited() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            String reply = c.send("GET /hello HTTP/1.0\r\n\r\n").readUntilClose();
            assertThat(reply).startsWith("HTTP/1.1 200 OK").contains("Connection: close").endsWith("hi");
        }
        try (RawHttp c = new RawHttp(server.port())) {
            String reply = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /stream HTTP/1.0\r\n\r\n")
                    .readUntilClose();
            assertThat(reply).contains("Connection: keep-alive").endsWith("abc");
            assertThat(reply).doesNotContain("Transfer-Encoding");
        }
    }

    @Test
    void chunkedResponseWithTrailers() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            String reply = c.send("GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readUntilClose();
            assertThat(reply).contains("Transfer-Encoding: chunked").endsWith("1\r\na\r\n2\r\nbc\r\n0\r\nX-Checksum: 42\r\n\r\n");
        }
    }

    @Test
    void expect100ContinueIsSentWhenTheBodyIsRead() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            String interim = c.readUntil("\r\n\r\n", 1);
            assertThat(interim).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            String reply = c.send("hello").readUntil("hello", 1);
            assertThat(reply).startsWith("HTTP/1.1 200 OK").endsWith("hello");
        }
    }

    @Test
    void aHandlerThatIgnoresASmallBodyKeepsTheConnectionUsable() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            String reply = c.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readUntilClose();
            assertThat(reply).contains("ignored").endsWith("hi");
            assertThat(RawHttp.occurrences(reply, "HTTP/1.1 200 OK")).isEqualTo(2);
        }
    }

    @Test
    void headGetsHeadersWithoutBodyAndUnknownMethodsGet405WithAllow() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            String reply = c.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nDELETE /hello HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").readUntilClose();
            assertThat(reply).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 2\r\n");
            assertThat(reply).contains("HTTP/1.1 405 Method Not Allowed").contains("Allow: GET, HEAD\r\n");
            assertThat(reply.substring(0, reply.indexOf("HTTP/1.1 405"))).endsWith("\r\n\r\n");
        }
    }

    @Test
    void aByteAtATimeRequestIsServed() throws Exception {
        String req = "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        try (RawHttp c = new RawHttp(server.port())) {
            for (byte b : req.getBytes()) {
                c.send(new byte[] {b});
            }
            assertThat(c.readUntilClose()).startsWith("HTTP/1.1 200 OK").endsWith("hi");
        }
    }

    @Test
    void limitsAreKnobs() {
        assertThat(server.options().maxBodyBytes()).isEqualTo(1000);
        assertThat(HttpOptions.defaults().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ByteBuffer.allocate(1).capacity()).isEqualTo(1);
    }
}
