package io.eventide.http.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.http.OverflowPolicy;
import io.eventide.http.websocket.NodePeers;
import io.eventide.http.websocket.WsTestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server-Sent Events against a real EventSource (Node's eventsource package) and at byte level. */
class SseIT {
    static WsTestServer server;
    static final BlockingQueue<String> closed = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        server = WsTestServer.start(app -> {
            app.get("/numbers", SseIT::numbers);
            // Mounted the way WebSockets are: a handler made from options and an onOpen.
            app.get("/format", Sse.handler(SseOptions.defaults().heartbeat(Duration.ZERO), s -> {
                s.send("greet", "7", "line1\nline2\r\nline3");
                s.comment("just a comment");
                s.retry(Duration.ofSeconds(3));
                s.send("plain");
                s.close();
            }));
            app.get("/heartbeat", (req, res) -> {
                SseStream s = Sse.start(req, res, SseOptions.defaults().heartbeat(Duration.ofMillis(20)));
                s.onClose(() -> closed.add("heartbeat stream closed"));
            });
            app.get("/flood/:policy", SseIT::flood);
        });
    }

    /**
     * Numbered events, three per connection, resuming after {@code Last-Event-ID}: the client has
     * to reconnect (after the 20 ms retry the stream announced) to get them all.
     */
    static void numbers(io.eventide.http.HttpRequest req, io.eventide.http.HttpResponse res) {
        SseStream s = Sse.start(req, res, SseOptions.defaults().retry(Duration.ofMillis(20)));
        int from = s.lastEventId() == null ? 1 : Integer.parseInt(s.lastEventId()) + 1;
        for (int i = from; i < from + 3 && i <= 7; i++) {
            s.send(i % 2 == 0 ? "even" : null, String.valueOf(i), "n=" + i + "\nsquare=" + i * i);
        }
        if (from + 3 > 7) {
            s.send("done", null, "bye");
        }
        s.close();
    }

    static void flood(io.eventide.http.HttpRequest req, io.eventide.http.HttpResponse res) {
        OverflowPolicy policy = OverflowPolicy.valueOf(req.param("policy"));
        SseStream s = Sse.start(req, res, SseOptions.defaults().maxBufferedBytes(256 * 1024, policy));
        s.onClose(() -> closed.add("flood closed, dropped " + s.dropped()));
        String chunk = "x".repeat(16 * 1024);
        while (s.isOpen() && s.dropped() < 10) {
            s.send(chunk);
        }
        s.onDrain(() -> {
            s.send("report", null, "dropped " + s.dropped());
            s.close();
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void eventSourceReceivesEverythingAndResumesWithLastEventId() throws Exception {
        String script = """
                const EventSource = require('eventsource');
                const es = new EventSource(`http://127.0.0.1:${process.argv[2]}/numbers`);
                const seen = [];
                es.onmessage = (e) => seen.push(`message ${e.lastEventId} ${JSON.stringify(e.data)}`);
                es.addEventListener('even', (e) => seen.push(`even ${e.lastEventId} ${JSON.stringify(e.data)}`));
                es.addEventListener('done', (e) => {
                  es.close();
                  seen.forEach((l) => console.log(l));
                  console.log(`done ${e.data}`);
                });
                es.onerror = () => {};  // reconnects are expected: the server ends each stream after three events
                setTimeout(() => { console.log('TIMEOUT'); process.exit(1); }, 20000).unref();
                """;
        List<String> out = NodePeers.run(script, String.valueOf(server.port()));
        assertThat(out).containsExactly(
                "message 1 \"n=1\\nsquare=1\"", "even 2 \"n=2\\nsquare=4\"", "message 3 \"n=3\\nsquare=9\"",
                "even 4 \"n=4\\nsquare=16\"", "message 5 \"n=5\\nsquare=25\"", "even 6 \"n=6\\nsquare=36\"",
                "message 7 \"n=7\\nsquare=49\"", "done bye");
    }

    static String get(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return readUntil(s.getInputStream(), "\r\n0\r\n\r\n");
        }
    }

    static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!out.toString(StandardCharsets.UTF_8).endsWith(end)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Strips the chunk-size lines of a chunked body. */
    static String dechunk(String response) {
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, eol), 16);
            if (size == 0) {
                return sb.toString();
            }
            sb.append(body, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }

    @Test
    void wireFormat() throws IOException {
        String r = get("/format");
        assertThat(r).startsWith("HTTP/1.1 200 ").containsIgnoringCase("content-type: text/event-stream")
                .containsIgnoringCase("cache-control: no-cache").containsIgnoringCase("transfer-encoding: chunked");
        assertThat(dechunk(r)).isEqualTo(":\n\nevent: greet\nid: 7\ndata: line1\ndata: line2\ndata: line3\n\n"
                + ": just a comment\n\nretry: 3000\n\ndata: plain\n\n");
    }

    @Test
    void heartbeatsFlowAndAClientLeavingIsNoticed() throws Exception {
        closed.clear();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /heartbeat HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String seen = "";
            while (occurrences(seen, ":\n\n") < 4) { // the opening line, then heartbeats
                byte[] b = new byte[1024];
                int n = in.read(b);
                assertThat(n).isPositive();
                seen += new String(b, 0, n, StandardCharsets.UTF_8);
            }
        }
        assertThat(closed.poll(20, TimeUnit.SECONDS)).isEqualTo("heartbeat stream closed");
    }

    static int occurrences(String s, String m) {
        int n = 0;
        for (int i = s.indexOf(m); i >= 0; i = s.indexOf(m, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void slowConsumerEventsAreDropped() throws Exception {
        closed.clear();
        String body = slowGet("/flood/DROP");
        assertThat(body).contains("event: report\ndata: dropped 10\n\n");
        assertThat(closed.poll(20, TimeUnit.SECONDS)).isEqualTo("flood closed, dropped 10");
    }

    @Test
    void slowConsumerConnectionIsCut() throws Exception {
        closed.clear();
        // CLOSE drops the connection and what it holds: the client sees the stream cut short,
        // without the final chunk, and never the report sent after the budget was hit.
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(8 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /flood/CLOSE HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String raw;
            try {
                raw = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.net.SocketException reset) {
                raw = ""; // reset by the server's close with unread data: the cut we expect
            }
            assertThat(raw).doesNotContain("report").doesNotEndWith("\r\n0\r\n\r\n");
        }
        assertThat(closed.poll(20, TimeUnit.SECONDS)).isEqualTo("flood closed, dropped 0");
    }

    /** A client with a small receive window that reads only once the server stopped writing. */
    static String slowGet(String path) throws IOException {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(8 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return dechunk(readUntil(s.getInputStream(), "\r\n0\r\n\r\n"));
        }
    }
}
