package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpServer#onResponseDone}: once per request, whether its response ended or its connection
 * closed first, with the body bytes produced ({@link io.eventide.http.HttpResponse#bodyBytes()}).
 */
class ResponseDoneIT {
    static final String TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(200);

    record Done(String target, int status, long bytes, boolean completed, String thread) {
    }

    final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpServer server;

    @BeforeEach
    void start() {
        server = TestServers.start(HttpOptions.builder().gzip(true).maxBodyBytes(1000).build(), s -> {
            s.onResponseDone((req, res, completed) -> done.add(new Done(req.target(), res.status(), res.bodyBytes(), completed,
                    Thread.currentThread().getName())));
            s.get("/plain", (req, res) -> res.contentType("application/octet-stream").end("12345"));
            s.get("/gzip", (req, res) -> res.contentType("text/plain").end(TEXT));
            s.get("/chunks", (req, res) -> {
                res.contentType("application/octet-stream");
                for (int i = 0; i < 3; i++) {
                    res.write(new byte[100]);
                }
                res.end(new byte[50]);
            });
            s.get("/destroy", (req, res) -> {
                res.write(new byte[10]);
                res.destroy();
            });
            s.get("/forever", (req, res) -> {
                res.contentType("application/octet-stream");
                Runnable[] tick = new Runnable[1];
                tick[0] = () -> {
                    if (!res.isClosed()) {
                        res.write(new byte[1024]);
                        req.loop().setTimeout(5, tick[0]);
                    }
                };
                tick[0].run();
            });
            s.post("/upload", (req, res) -> req.body().onSuccess(b -> res.end("got " + b.length)));
            s.get("/never", (req, res) -> {
                // no answer: the client gives up first
            });
        });
    }

    @AfterEach
    void stop() {
        TestServers.stop(server);
    }

    HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        return client.send(b.build(), BodyHandlers.ofByteArray());
    }

    Done next() throws InterruptedException {
        Done d = done.poll(10, TimeUnit.SECONDS);
        assertThat(d).as("a response-done event").isNotNull();
        assertThat(d.thread()).as("heard on a loop").startsWith("eventide-loop-");
        return d;
    }

    @Test
    void completedResponsesReportTheirBodyBytesOnce() throws Exception {
        get("/plain", null);
        assertThat(next()).extracting(Done::target, Done::status, Done::bytes, Done::completed)
                .containsExactly("/plain", 200, 5L, true);
        get("/chunks", null);
        assertThat(next()).extracting(Done::bytes, Done::completed).containsExactly(350L, true);
        HttpResponse<byte[]> zipped = get("/gzip", "gzip");
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(next().bytes()).as("bytes after compression").isEqualTo(zipped.body().length).isLessThan(TEXT.length());
        get("/nowhere", null);
        assertThat(next()).extracting(Done::status, Done::bytes, Done::completed).containsExactly(404, 10L, true);
        assertThat(done).as("one event per request").isEmpty();
    }

    @Test
    void aClientLeavingMidBodyIsHeardAsNotCompleted() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            for (int total = 0; total < 4096; ) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                total += n;
            }
            s.setSoLinger(true, 0);
        }
        Done d = next();
        assertThat(d).extracting(Done::target, Done::status, Done::completed).containsExactly("/forever", 200, false);
        assertThat(d.bytes()).isGreaterThanOrEqualTo(1024);
    }

    @Test
    void aClientLeavingBeforeTheHeadAndADestroyedResponseAreHeardOnce() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET /never HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        Done never = next();
        assertThat(never).extracting(Done::target, Done::bytes, Done::completed).containsExactly("/never", 0L, false);

        // A raw socket: the JDK client would retry a GET whose connection closed without an answer.
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET /destroy HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().readAllBytes()).as("closed without an answer").isEmpty();
        }
        Done destroyed = next();
        assertThat(destroyed).extracting(Done::target, Done::completed).containsExactly("/destroy", false);
        get("/plain", null);
        assertThat(next().target()).as("no second event for /destroy").isEqualTo("/plain");
        assertThat(done).isEmpty();
    }

    @Test
    void aRequestTheServerAnswersForIsHeardWithThatAnswer() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000))
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 413 ");
        }
        Done d = next();
        assertThat(d).extracting(Done::target, Done::status, Done::completed).containsExactly("/upload", 413, true);
        get("/plain", null);
        assertThat(next().target()).as("one event for /upload").isEqualTo("/plain");
        assertThat(done).isEmpty();
    }
}
