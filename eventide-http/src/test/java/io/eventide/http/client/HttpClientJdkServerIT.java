package io.eventide.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a different implementation, the JDK's {@code com.sun.net.httpserver}:
 * chunked responses, responses without a body, and a chunked upload of unknown length.
 */
class HttpClientJdkServerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private static HttpServer jdk;
    private static ExecutorService handlers;
    private static LoopGroup group;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        jdk = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newFixedThreadPool(4);
        jdk.setExecutor(handlers);
        jdk.createContext("/chunked", HttpClientJdkServerIT::chunked);
        jdk.createContext("/status", ex -> {
            record(ex);
            ex.sendResponseHeaders(Integer.parseInt(ex.getRequestURI().getQuery()), -1); // no body
            ex.close();
        });
        jdk.createContext("/head", ex -> {
            record(ex);
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(200, head ? -1 : 5);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(head ? new byte[0] : "howdy".getBytes(StandardCharsets.US_ASCII));
            }
        });
        jdk.createContext("/upload", HttpClientJdkServerIT::upload);
        jdk.start();
        group = LoopGroup.create(1);
        client = HttpClient.create(group.loop(0), ClientOptions.defaults());
    }

    private static void chunked(HttpExchange ex) throws IOException {
        record(ex);
        ex.sendResponseHeaders(200, 0); // length 0: chunked
        try (OutputStream out = ex.getResponseBody()) {
            for (String piece : new String[] {"hello ", "chunked ", "world"}) {
                out.write(piece.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
    }

    /** Answers with the byte count, CRC-32 and Transfer-Encoding of the request body. */
    private static void upload(HttpExchange ex) throws IOException {
        record(ex);
        CRC32 crc = new CRC32();
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = ex.getRequestBody()) {
            for (int r; (r = in.read(buf)) >= 0; n += r) {
                crc.update(buf, 0, r);
            }
        }
        String te = ex.getRequestHeaders().getFirst("Transfer-Encoding");
        byte[] reply = (n + " " + Long.toHexString(crc.getValue()) + " " + te).getBytes(StandardCharsets.US_ASCII);
        ex.sendResponseHeaders(200, reply.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(reply);
        }
    }

    private static void record(HttpExchange ex) {
        clientPorts.add(ex.getRemoteAddress().getPort());
    }

    @AfterAll
    static void stop() {
        client.close().join(WAIT);
        group.close(Duration.ofSeconds(5)).join();
        jdk.stop(0);
        handlers.shutdownNow();
    }

    @BeforeEach
    void clearPorts() {
        clientPorts.clear();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + jdk.getAddress().getPort() + path;
    }

    private static String body(Promise<ClientResponse> response) {
        return response.flatMap(ClientResponse::bodyAsString).join(WAIT);
    }

    @Test
    void readsChunkedResponsesOnOneKeptAliveConnection() {
        for (int i = 0; i < 5; i++) {
            Promise<ClientResponse> get = client.get(url("/chunked"));
            assertThat(body(get)).isEqualTo("hello chunked world");
            assertThat(get.join(WAIT).header("Transfer-encoding")).isEqualTo("chunked");
        }
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void readsNoBodyForHead204And304() {
        Promise<ClientResponse> head = client.request("HEAD", url("/head")).send();
        assertThat(body(head)).isEmpty();
        assertThat(head.join(WAIT).status()).isEqualTo(200);
        Promise<ClientResponse> noContent = client.get(url("/status?204"));
        assertThat(body(noContent)).isEmpty();
        assertThat(noContent.join(WAIT).status()).isEqualTo(204);
        Promise<ClientResponse> notModified = client.get(url("/status?304"));
        assertThat(body(notModified)).isEmpty();
        assertThat(notModified.join(WAIT).status()).isEqualTo(304);
        assertThat(body(client.get(url("/head")))).isEqualTo("howdy");
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void streamsAChunkedUploadOfUnknownLength() {
        int total = 8 << 20;
        byte[] chunk = new byte[32 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) (i ^ (i >>> 8));
        }
        CRC32 expected = new CRC32();
        for (int sent = 0; sent < total; sent += chunk.length) {
            expected.update(chunk);
        }
        EventLoop loop = group.loop(0);
        CompletableFuture<String> reply = new CompletableFuture<>();
        loop.execute(() -> {
            ClientRequest req = client.request("PUT", url("/upload"));
            int[] sent = {0};
            Runnable pump = () -> {
                while (sent[0] < total) {
                    sent[0] += chunk.length;
                    if (!req.write(ByteBuffer.wrap(chunk))) {
                        return;
                    }
                }
                req.end();
            };
            req.onDrain(pump);
            req.response().flatMap(ClientResponse::bodyAsString)
                    .onSuccess(reply::complete).onFailure(reply::completeExceptionally);
            pump.run();
        });
        assertThat(reply.join()).isEqualTo(total + " " + Long.toHexString(expected.getValue()) + " chunked");
    }
}
