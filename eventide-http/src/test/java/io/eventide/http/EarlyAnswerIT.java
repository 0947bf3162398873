package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, defects 1, 2, 4, 5 and 6: what happens to a request's body when the server answers
 * before reading it, to an upgrade that carries a body, and to error answers to HEAD. Every test
 * talks raw bytes, so the framing on the wire is what is checked.
 */
class EarlyAnswerIT {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static HttpServer server(HttpOptions options) {
        return TestServers.start(options, s -> {
            s.get("/plaintext", (req, res) -> res.end("hi"));
            s.post("/later", (req, res) -> req.body().onSuccess(b -> res.end("got " + b.length)));
            s.post("/echo", (req, res) -> {
                req.onData(chunk -> res.write(copy(chunk)));
                req.onEnd(res::end);
            });
            s.get("/ws", WebSockets.handler(WebSocketOptions.defaults(), ws -> ws.onText(ws::sendText)));
        });
    }

    private static byte[] copy(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * Defect 1: after an early answer on a keep-alive connection whose body is still incomplete,
     * the client's FIN must be noticed (the socket stayed in CLOSE-WAIT until the server stopped).
     * As reported: the first request is answered later (a promise), so the pipelined second one
     * waits in the connection's buffer and is answered 404 or 405 from there. Deadlines are long
     * here, so only reading the FIN can close the connection in time.
     */
    @Test
    void aClientThatLeavesAfterAnEarlyAnswerIsNoticed() throws Exception {
        HttpServer server = server(HttpOptions.builder().headerTimeout(LONG).keepAliveTimeout(LONG).minBodyRate(0)
                .bodyRateWindow(LONG).build());
        try {
            for (String target : new String[] {"/nope", "/plaintext"}) {
                try (RawHttp c = new RawHttp(server.port())) {
                    c.send("POST /later HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab"
                            + "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
                    String early = target.equals("/nope") ? "Not Found\n" : "Method Not Allowed\n";
                    assertThat(c.readUntil(early, 1)).as(target).startsWith("HTTP/1.1 200 ").contains("got 2");
                    c.shutdownOutput();
                    assertThat(c.readUntilClose()).as("after the early answer to %s: the server's close", target)
                            .isEmpty();
                }
            }
        } finally {
            TestServers.stop(server);
        }
    }

    /**
     * Defect 2: a body that never arrives after an early answer is a slowloris too: the rest must
     * come at the minimum body rate, or the connection is closed.
     */
    @Test
    void anEarlyAnsweredBodyThatNeverArrivesIsCutOff() throws Exception {
        HttpServer server = server(HttpOptions.builder().headerTimeout(Duration.ofMillis(300))
                .keepAliveTimeout(Duration.ofMillis(300)).minBodyRate(1024).bodyRateWindow(Duration.ofMillis(200))
                .sweepInterval(Duration.ofMillis(50)).build());
        try {
            for (String target : new String[] {"/nope", "/plaintext"}) {
                try (RawHttp c = new RawHttp(server.port())) {
                    String reply = c.send("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
                            .readUntilClose();
                    assertThat(reply).as(target).startsWith(target.equals("/nope") ? "HTTP/1.1 404 " : "HTTP/1.1 405 ");
                    assertThat(RawHttp.occurrences(reply, "HTTP/1.1 ")).isEqualTo(1);
                }
            }
        } finally {
            TestServers.stop(server);
        }
    }

    /**
     * Defect 4: an upgrade request with a body is a client error (400 and a close), never a 500,
     * and its body is never parsed as a next request.
     */
    @Test
    void anUpgradeWithABodyIsA400AndNoDesync() throws Exception {
        HttpServer server = server(HttpOptions.defaults());
        String upgrade = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
                + "\r\n";
        String smuggled = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";
        try {
            try (RawHttp c = new RawHttp(server.port())) {
                String reply = c.send(upgrade + "Content-Length: " + smuggled.length() + "\r\n\r\n" + smuggled)
                        .readUntilClose();
                assertThat(reply).startsWith("HTTP/1.1 400 ").contains("Connection: close\r\n");
                assertThat(RawHttp.occurrences(reply, "HTTP/1.1 ")).as("one answer, no smuggled request").isEqualTo(1);
            }
            try (RawHttp c = new RawHttp(server.port())) {
                String reply = c.send(upgrade + "Transfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(smuggled.length()) + "\r\n" + smuggled + "\r\n0\r\n\r\n").readUntilClose();
                assertThat(reply).startsWith("HTTP/1.1 400 ");
                assertThat(RawHttp.occurrences(reply, "HTTP/1.1 ")).isEqualTo(1);
            }
        } finally {
            TestServers.stop(server);
        }
    }

    /** Defect 5: RFC 9110 §9.3.2, a response to HEAD carries no body, errors included. */
    @Test
    void errorAnswersToHeadCarryNoBody() throws Exception {
        HttpServer server = server(HttpOptions.builder().headerTimeout(Duration.ofMillis(300))
                .keepAliveTimeout(LONG).sweepInterval(Duration.ofMillis(50)).build());
        try {
            for (String request : new String[] {
                "HEAD / HTTP/1.1\r\n\r\n",                              // missing Host: 400
                "HEAD / HTTP/1.1\r\nHost: a b\r\n\r\n",                 // invalid Host: 400
                "HEAD / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n",     // obs-fold: 400
                "HEAD / HTTP/1.1\r\nHost: x\r\n"}) {                    // never ends: 408
                try (RawHttp c = new RawHttp(server.port())) {
                    String reply = c.send(request).readUntilClose();
                    assertThat(reply).as(request).matches("(?s)HTTP/1\\.1 4\\d\\d .*").endsWith("\r\n\r\n");
                }
            }
        } finally {
            TestServers.stop(server);
        }
    }

    /**
     * Defect 6: a streaming echo of a chunked body answers before the body is in; the connection
     * stays usable (as in Node) since the rest of the body is read by the handler.
     */
    @Test
    void aStreamingEchoOfAChunkedBodyKeepsTheConnection() throws Exception {
        HttpServer server = server(HttpOptions.defaults());
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            String first = c.readUntil("hello", 1);
            assertThat(first).startsWith("HTTP/1.1 200 ").contains("Transfer-Encoding: chunked")
                    .doesNotContain("Connection: close");
            String rest = c.send("6\r\n world\r\n0\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .readUntilClose();
            assertThat(rest).contains(" world").endsWith("\r\n\r\nhi");
        } finally {
            TestServers.stop(server);
        }
    }
}
