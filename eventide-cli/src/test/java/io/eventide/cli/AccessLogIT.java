package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log, read back from its file after real requests over loopback: the three formats,
 * one line per request, and a line for a client that leaves in the middle of a response.
 */
class AccessLogIT {
    private static final String CLF_TIME = "\\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000]";

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private Host host(String format, Path file) {
        Map<String, String> settings = new HashMap<>(Map.of("port", "0", "host", "127.0.0.1", "loops", "2",
                "shutdown-grace-ms", "2000", "access-log", format));
        if (file != null) {
            settings.put("access-log.file", file.toString());
        }
        Host host = Host.create(HostConfig.of(settings));
        host.http().get("/hello/:name", (req, res) -> res.contentType("text/plain").end("Hello, " + req.param("name") + "\n"));
        host.http().post("/echo", (req, res) -> req.body().onSuccess(res::end));
        host.http().get("/missing-here", (req, res) -> res.status(404).end());
        // Streams 1 KiB chunks until the client goes away; never ends by itself.
        host.http().get("/stream", (req, res) -> {
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
        host.start();
        return host;
    }

    private HttpResponse<String> send(Host host, HttpRequest.Builder b) throws Exception {
        return client.send(b.build(), BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(Host host, String target) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + target));
    }

    private static List<String> lines(Host host, Path file, int n) throws Exception {
        assertThat(host.accessLog().awaitWritten(n, 10_000)).as("%d access log lines written", n).isTrue();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).as("exactly one line per request").hasSize(n);
        return lines;
    }

    @Test
    void commonLogFormatLinePerRequest() throws Exception {
        Path file = dir.resolve("access.log");
        Host host = host("common", file);
        try {
            assertThat(send(host, request(host, "/hello/ada?x=1")).body()).isEqualTo("Hello, ada\n");
            assertThat(send(host, request(host, "/nowhere")).statusCode()).isEqualTo(404);
            assertThat(send(host, request(host, "/echo").POST(BodyPublishers.ofString("12345"))).body()).isEqualTo("12345");
            List<String> lines = lines(host, file, 3);
            assertThat(lines.get(0)).matches("127\\.0\\.0\\.1 - - " + CLF_TIME + " \"GET /hello/ada\\?x=1 HTTP/1\\.1\" 200 11");
            assertThat(lines.get(1)).matches("127\\.0\\.0\\.1 - - " + CLF_TIME + " \"GET /nowhere HTTP/1\\.1\" 404 10");
            assertThat(lines.get(2)).matches("127\\.0\\.0\\.1 - - " + CLF_TIME + " \"POST /echo HTTP/1\\.1\" 200 5");
        } finally {
            host.drain().join();
        }
    }

    @Test
    void combinedAddsRefererAndUserAgentEscaped() throws Exception {
        Path file = dir.resolve("access.log");
        Host host = host("combined", file);
        try {
            send(host, request(host, "/hello/bob").header("Referer", "http://example.com/page")
                    .header("User-Agent", "tester \"quoted\" 1.0"));
            send(host, request(host, "/missing-here").header("User-Agent", "x"));
            List<String> lines = lines(host, file, 2);
            assertThat(lines.get(0)).matches("127\\.0\\.0\\.1 - - " + CLF_TIME
                    + " \"GET /hello/bob HTTP/1\\.1\" 200 11 \"http://example\\.com/page\" \"tester \\\\\"quoted\\\\\" 1\\.0\"");
            // Nothing in the body: "-" for the size, and for a missing Referer.
            assertThat(lines.get(1)).matches("127\\.0\\.0\\.1 - - " + CLF_TIME + " \"GET /missing-here HTTP/1\\.1\" 404 - \"-\" \"x\"");
        } finally {
            host.drain().join();
        }
    }

    @Test
    void jsonLinesCarryDurationAndRemoteAddress() throws Exception {
        Path file = dir.resolve("access.jsonl");
        Host host = host("json", file);
        try {
            send(host, request(host, "/hello/%22q%22?a=b").header("User-Agent", "line\tbreak"));
            List<String> lines = lines(host, file, 1);
            assertThat(lines.get(0)).matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\","
                    + "\"remote\":\"127\\.0\\.0\\.1\",\"method\":\"GET\",\"path\":\"/hello/%22q%22\",\"query\":\"a=b\","
                    + "\"version\":\"HTTP/1\\.1\",\"status\":200,\"bytes\":\\d+,\"duration_ms\":\\d+\\.\\d{3},"
                    + "\"completed\":true,\"referer\":null,\"user_agent\":\"line\\\\tbreak\"}");
        } finally {
            host.drain().join();
        }
    }

    @Test
    void aClientThatLeavesMidResponseIsLoggedAsNotCompleted() throws Exception {
        Path file = dir.resolve("access.jsonl");
        Host host = host("json", file);
        try {
            try (Socket s = new Socket("127.0.0.1", host.port())) {
                OutputStream out = s.getOutputStream();
                out.write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                int total = 0;
                while (total < 4096) { // the head and a few chunks: the response is under way
                    int n = in.read(buf);
                    assertThat(n).as("the stream keeps coming").isPositive();
                    total += n;
                }
                s.setSoLinger(true, 0); // reset, like a browser tab closed mid-download
            }
            // The server keeps serving others meanwhile, and logs them too.
            assertThat(send(host, request(host, "/hello/after")).statusCode()).isEqualTo(200);
            List<String> lines = lines(host, file, 2);
            String aborted = lines.stream().filter(l -> l.contains("\"/stream\"")).findFirst().orElseThrow();
            assertThat(aborted).contains("\"method\":\"GET\"", "\"status\":200", "\"completed\":false");
            long bytes = Long.parseLong(aborted.replaceAll(".*\"bytes\":(\\d+).*", "$1"));
            assertThat(bytes).as("body bytes produced before the client left").isGreaterThanOrEqualTo(1024);
            assertThat(lines).anyMatch(l -> l.contains("\"/hello/after\"") && l.contains("\"completed\":true"));
        } finally {
            host.drain().join();
        }
    }

    @Test
    void aBodyOverTheLimitIsLoggedWithTheServersAnswer() throws Exception {
        Path file = dir.resolve("access.log");
        Map<String, String> settings = Map.of("port", "0", "host", "127.0.0.1", "loops", "1", "max-body-bytes", "1000",
                "access-log", "common", "access-log.file", file.toString());
        Host host = Host.create(HostConfig.of(settings));
        host.http().post("/echo", (req, res) -> req.body().onSuccess(res::end));
        host.start();
        try {
            try (Socket s = new Socket("127.0.0.1", host.port())) {
                s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000))
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 413 ");
            }
            List<String> lines = lines(host, file, 1);
            assertThat(lines.get(0)).matches("127\\.0\\.0\\.1 - - " + CLF_TIME + " \"POST /echo HTTP/1\\.1\" 413 -");
        } finally {
            host.drain().join();
        }
    }

    @Test
    void manyConcurrentRequestsEachGetExactlyOneLine() throws Exception {
        Path file = dir.resolve("access.log");
        Host host = host("common", file);
        int n = 400;
        try {
            CompletableFuture<?>[] all = new CompletableFuture<?>[n];
            for (int i = 0; i < n; i++) {
                all[i] = client.sendAsync(request(host, "/hello/n" + i).build(), BodyHandlers.ofString());
            }
            CompletableFuture.allOf(all).join();
            List<String> lines = lines(host, file, n);
            for (int i = 0; i < n; i++) {
                String target = "\"GET /hello/n" + i + " HTTP/1.1\"";
                assertThat(lines).as("a line for request %d", i).filteredOn(l -> l.contains(target)).hasSize(1);
            }
            assertThat(host.accessLog().dropped()).isZero();
        } finally {
            host.drain().join();
        }
    }

    @Test
    void offByDefault() {
        assertThat(AccessLog.create(HostConfig.of(Map.of()))).isNull();
    }

    @Test
    void aFileThatCannotBeOpenedIsAConfigurationError() {
        Path notADir = dir.resolve("no/such/dir/access.log");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccessLog.create(HostConfig.of(
                Map.of("access-log", "json", "access-log.file", notADir.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("access-log.file").hasMessageContaining(notADir.toString());
    }
}
