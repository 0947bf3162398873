package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server against independent clients: the JDK's HttpClient, curl and Node.js's http module. */
class HttpPeersIT {
    static HttpServer server;
    static String base;

    @BeforeAll
    static void start() {
        server = TestServers.start(HttpOptions.defaults(), s -> {
            s.get("/plaintext", (req, res) -> res.contentType("text/plain").end("Hello, World!"));
            s.get("/users/:id/posts/:post", (req, res) -> res.end(req.param("id") + "/" + req.param("post")));
            s.get("/files/*", (req, res) -> res.end("rest=" + req.param("*")));
            s.get("/boom", (req, res) -> {
                throw new IllegalStateException("secret internal detail");
            });
            s.get("/teapot", (req, res) -> {
                throw new HttpException(418 + 82, "nope");
            });
            s.post("/echo", (req, res) -> {
                req.onData(chunk -> {
                    if (!res.write(chunk)) {
                        req.pause();
                    }
                });
                res.onDrain(req::resume);
                req.onEnd(res::end);
            });
            s.post("/sha256", (req, res) -> {
                MessageDigest md = sha256();
                req.onData(md::update);
                req.onEnd(() -> res.end(HexFormat.of().formatHex(md.digest())));
            });
            s.get("/later", (req, res) -> req.loop().setTimeout(20, () -> res.end("later")));
            s.before((req, res) -> res.header("X-Before", "1"));
        });
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        TestServers.stop(server);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void jdkClientRoutesParamsErrorsAndHooks() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/plaintext")).build(), BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Hello, World!");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.headers().firstValue("Date")).isPresent();
        // The Date is read from the wall clock once a second per loop (ServerLoop.writeDate), not per
        // response: it must still be a valid IMF-fixdate of about now (bounds generous: not a timing check).
        java.time.Instant date = java.time.ZonedDateTime.parse(r.headers().firstValue("Date").orElseThrow(),
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(date).isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(1));
        assertThat(r.headers().firstValue("X-Before")).hasValue("1");
        assertThat(get(client, "/users/7/posts/hello%20world").body()).isEqualTo("7/hello world");
        assertThat(get(client, "/files/a/b/c.txt").body()).isEqualTo("rest=a/b/c.txt");
        var boom = get(client, "/boom");
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).doesNotContain("secret").doesNotContain("Exception");
        assertThat(get(client, "/teapot").statusCode()).isEqualTo(500);
        assertThat(get(client, "/nowhere").statusCode()).isEqualTo(404);
        assertThat(get(client, "/later").body()).isEqualTo("later");
    }

    private static java.net.http.HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + path)).build(), BodyHandlers.ofString());
    }

    @Test
    void jdkClientStreamsABigBodyBothWays() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        new Random(1).nextBytes(body);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body);
    }

    @Test
    void manyConcurrentKeepAliveRequests() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            fs.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(URI.create(base + "/users/" + i + "/posts/p")).build(),
                    BodyHandlers.ofString()).thenApply(java.net.http.HttpResponse::body));
        }
        for (int i = 0; i < fs.size(); i++) {
            assertThat(fs.get(i).join()).isEqualTo(i + "/p");
        }
    }

    @Test
    void curlChunkedUploadHttp10AndExpectContinue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("up.bin");
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(2).nextBytes(data);
        Files.write(file, data);
        String expected = HexFormat.of().formatHex(sha256().digest(data));
        assertThat(run("curl", "-s", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file, base + "/sha256"))
                .isEqualTo(expected);
        // curl sends Expect: 100-continue for bodies over 1 MiB
        assertThat(run("curl", "-s", "--data-binary", "@" + file, base + "/sha256")).isEqualTo(expected);
        assertThat(run("curl", "-s", "--http1.0", base + "/plaintext")).isEqualTo("Hello, World!");
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", base + "/plaintext")).isEqualTo("405");
    }

    @Test
    void nodeHttpClientWithKeepAliveAgent(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("client.js");
        Files.writeString(script, """
                const http = require('http');
                const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
                const port = Number(process.argv[2]);
                function get(path) {
                  return new Promise((resolve, reject) => {
                    http.get({ host: '127.0.0.1', port, path, agent }, res => {
                      let body = '';
                      res.setEncoding('utf8');
                      res.on('data', c => body += c);
                      res.on('end', () => resolve(res.statusCode + ':' + body));
                    }).on('error', reject);
                  });
                }
                function post(path, data) {
                  return new Promise((resolve, reject) => {
                    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent }, res => {
                      const chunks = [];
                      res.on('data', c => chunks.push(c));
                      res.on('end', () => resolve(Buffer.concat(chunks)));
                    });
                    req.on('error', reject);
                    req.end(data);
                  });
                }
                (async () => {
                  const out = [];
                  for (let i = 0; i < 50; i++) out.push(await get('/plaintext'));
                  const big = Buffer.alloc(2 * 1024 * 1024, 7);
                  const echoed = await post('/echo', big);
                  out.push('echo:' + (Buffer.compare(big, echoed) === 0));
                  console.log(JSON.stringify({ ok: out.filter(x => x === '200:Hello, World!').length, echo: out[50] }));
                  agent.destroy();
                })().catch(e => { console.error(e); process.exit(1); });
                """);
        assertThat(run("node", script.toString(), String.valueOf(server.port())))
                .isEqualTo("{\"ok\":50,\"echo\":\"echo:true\"}");
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs '" + cmd[0] + "' on PATH (apt-get install " + cmd[0]
                    + "; Node.js for node): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as("exit code of %s, output: %s", String.join(" ", cmd), out).isZero();
        return out;
    }
}
