package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.testing.TestCertificates;
import io.eventide.core.tls.ClientTls;
import io.eventide.core.tls.ServerTls;
import io.eventide.http.client.ClientResponse;
import io.eventide.http.websocket.NodePeers;
import io.eventide.http.websocket.WebSocket;
import io.eventide.http.websocket.WebSocketClient;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPS and WSS against real peers: curl, openssl s_client, the JDK's HttpClient, Node.js https and
 * ws, and Eventide's own HttpClient and WebSocketClient; a gibibyte each way through curl.
 */
class HttpsIT {
    static final TestCertificates CERTS = TestCertificates.get();
    static final long GIB = 1L << 30;
    static HttpServer server;
    static Path files;
    static String base;
    static String ca;

    @BeforeAll
    static void start() throws IOException {
        files = Files.createTempDirectory("eventide-https-static-");
        Files.writeString(files.resolve("index.html"), "<h1>over TLS</h1>\n");
        byte[] blob = new byte[5 * 1024 * 1024 + 3];
        new Random(7).nextBytes(blob);
        Files.write(files.resolve("blob.bin"), blob);
        try (RandomAccessFile f = new RandomAccessFile(files.resolve("gib.bin").toFile(), "rw")) {
            f.setLength(GIB); // sparse: reading it costs no disk, the bytes still cross TLS
        }
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(2).build());
        server = HttpServer.create(group, HttpOptions.builder().maxBodyBytes(2 * GIB).build())
                .tls(ServerTls.of(CERTS.keys("server")).sni("alpha.test", CERTS.keys("alpha")));
        server.get("/hello", (req, res) -> res.contentType("text/plain").end("hello over " + req.header("Host")));
        server.post("/sha256", (req, res) -> {
            MessageDigest md = HttpPeersIT.sha256();
            long[] n = {0};
            req.onData(b -> {
                n[0] += b.remaining();
                md.update(b);
            });
            req.onEnd(() -> res.end(n[0] + " " + HexFormat.of().formatHex(md.digest())));
        });
        server.get("/static/*", StaticFiles.serve(files));
        server.get("/ws", WebSockets.handler(WebSocketOptions.defaults(), (req, ws) -> ws.onText(ws::sendText)));
        server.listen("127.0.0.1", 0).join();
        base = "https://localhost:" + server.port();
        ca = CERTS.caPem().toString();
    }

    @AfterAll
    static void stop() {
        TestServers.stop(server);
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        return HttpPeersIT.run(cmd);
    }

    /** Runs a shell pipeline; returns its stdout; fails on a non-zero exit. */
    static String sh(String script) throws IOException, InterruptedException {
        return HttpPeersIT.run("bash", "-c", "set -o pipefail; " + script);
    }

    @Test
    void curlWithTheTestCa() throws Exception {
        assertThat(run("curl", "-sS", "--cacert", ca, base + "/hello")).isEqualTo("hello over localhost:" + server.port());
        assertThat(run("curl", "-sS", "--cacert", ca, "--tlsv1.3", base + "/static/index.html")).isEqualTo("<h1>over TLS</h1>");
        // A static file goes through the engine under TLS: byte for byte.
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                Files.readAllBytes(files.resolve("blob.bin"))));
        assertThat(sh("curl -sS --cacert " + ca + " " + base + "/static/blob.bin | sha256sum | cut -d' ' -f1"))
                .isEqualTo(sha);
        // Without the CA, curl refuses the certificate (exit 60), as it must.
        assertThat(sh("curl -s -o /dev/null " + base + "/hello; echo $?")).isEqualTo("60");
    }

    @Test
    void plaintextToTheHttpsPortIsClosedCleanlyAndCounted() throws Exception {
        long before = server.tlsStats().plaintext();
        // curl's "Empty reply from server": the connection closed, nothing answered, no hang.
        assertThat(sh("curl -s -o /dev/null --max-time 20 http://127.0.0.1:" + server.port() + "/hello; echo $?"))
                .isEqualTo("52");
        assertThat(server.tlsStats().plaintext()).isEqualTo(before + 1);
    }

    @Test
    void opensslSeesTls13Or12AlpnAndSni() throws Exception {
        String tls13 = sh("openssl s_client -connect 127.0.0.1:" + server.port() + " -servername localhost"
                + " -alpn http/1.1 -CAfile " + ca + " -verify_return_error -brief </dev/null 2>&1");
        assertThat(tls13).contains("Protocol version: TLSv1.3").contains("Verification: OK");
        String alpn = sh("openssl s_client -connect 127.0.0.1:" + server.port() + " -servername localhost"
                + " -alpn h2,http/1.1 -CAfile " + ca + " </dev/null 2>&1");
        assertThat(alpn).contains("ALPN protocol: http/1.1"); // h2 offered first, http/1.1 chosen
        // SNI: the certificate for the name asked for, the default one otherwise.
        String sni = sh("openssl s_client -connect 127.0.0.1:" + server.port() + " -servername alpha.test"
                + " -CAfile " + ca + " -verify_return_error -brief </dev/null 2>&1");
        assertThat(sni).contains("Peer certificate: CN = alpha.test").contains("Verification: OK");
        assertThat(tls13).contains("Peer certificate: CN = localhost");
        String tls12 = sh("openssl s_client -connect 127.0.0.1:" + server.port() + " -servername localhost -tls1_2"
                + " -CAfile " + ca + " -verify_return_error -brief </dev/null 2>&1");
        assertThat(tls12).contains("Protocol version: TLSv1.2");
        // TLS 1.1 and older are never offered.
        String tls11 = sh("openssl s_client -connect 127.0.0.1:" + server.port() + " -tls1_1 -brief </dev/null 2>&1;"
                + " echo exit=$?");
        assertThat(tls11).doesNotContain("Protocol version: TLSv1.1").contains("exit=1");
    }

    static SSLContext jdkTrust() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(CERTS.caPem())) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void jdkHttpClient() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(jdkTrust()).build();
        var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/hello")).build(), BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("hello over localhost");
        byte[] body = new byte[8 * 1024 * 1024];
        new Random(3).nextBytes(body);
        var up = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/sha256"))
                .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
        assertThat(up.body()).isEqualTo(body.length + " "
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    }

    @Test
    void nodeHttpsAndWsOverWss() throws Exception {
        List<String> out = NodePeers.run("""
                const https = require('https'), fs = require('fs'), WebSocket = require('ws');
                const [port, ca] = [process.argv[2], fs.readFileSync(process.argv[3])];
                https.get({ host: 'localhost', port, path: '/hello', ca }, res => {
                  const tls = res.socket.getProtocol();
                  let body = '';
                  res.on('data', d => body += d);
                  res.on('end', () => {
                    console.log(res.statusCode + ' ' + body + ' ' + tls);
                    const ws = new WebSocket('wss://localhost:' + port + '/ws', { ca });
                    ws.on('open', () => ws.send('ping over wss'));
                    ws.on('message', m => { console.log('ws ' + m); ws.close(); });
                    ws.on('error', e => { console.error(e); process.exit(1); });
                  });
                }).on('error', e => { console.error(e); process.exit(1); });
                """, String.valueOf(server.port()), ca);
        assertThat(out).containsExactly("200 hello over localhost:" + server.port() + " TLSv1.3",
                "ws ping over wss");
    }

    @Test
    void eventideClientsOverHttpsAndWss() {
        EventLoop loop = server.group().loop(0);
        io.eventide.http.client.HttpClient client = io.eventide.http.client.HttpClient.create(loop,
                io.eventide.http.client.ClientOptions.defaults()).tls(ClientTls.defaults().trust(CERTS.trust()));
        String body = client.get(base + "/hello").flatMap(ClientResponse::bodyAsString).join();
        assertThat(body).isEqualTo("hello over localhost:" + server.port());
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocketClient.connect(loop, URI.create("wss://localhost:" + server.port() + "/ws"), WebSocketOptions.defaults(),
                ClientTls.defaults().trust(CERTS.trust())).onSuccess(ws -> {
                    ws.onText(t -> {
                        echoed.complete(t);
                        ws.close(WebSocket.NORMAL_CLOSURE, "done");
                    });
                    ws.sendText("eventide over wss");
                }).onFailure(echoed::completeExceptionally);
        assertThat(echoed.join()).isEqualTo("eventide over wss");
        client.close();
        // A client with the default trust (the JDK's CAs) refuses our test CA's certificate.
        io.eventide.http.client.HttpClient strict = io.eventide.http.client.HttpClient.create(loop,
                io.eventide.http.client.ClientOptions.defaults());
        assertThat(strict.get(base + "/hello").toCompletableFuture()).failsWithin(Duration.ofSeconds(30))
                .withThrowableThat().havingRootCause().withMessageContaining("certification path");
        strict.close();
    }

    @Test
    void aGibibyteUpAndDownThroughCurlKeepsTheServerHeapFlat() throws Exception {
        long before = usedHeapAfterGc();
        String up = sh("head -c " + GIB + " /dev/zero | curl -sS --cacert " + ca + " -H 'Expect:' -T - "
                + "-X POST " + base + "/sha256");
        assertThat(up).startsWith(GIB + " ");
        String down = sh("curl -sS --cacert " + ca + " -o /dev/null -w '%{size_download}' " + base + "/static/gib.bin");
        assertThat(down).isEqualTo(Long.toString(GIB));
        long after = usedHeapAfterGc();
        assertThat(after - before).as("server heap growth over 2 GiB").isLessThan(64L << 20);
    }

    static long usedHeapAfterGc() {
        System.gc(); // blocking-ok: test thread, measuring retained heap
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
