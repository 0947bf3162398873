package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GzipIT {
    static final String TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(200);
    static HttpServer server;

    @BeforeAll
    static void start() {
        server = TestServers.start(HttpOptions.builder().gzip(true).build(), s -> {
            s.get("/text", (req, res) -> res.contentType("text/plain").end(TEXT));
            s.get("/small", (req, res) -> res.contentType("text/plain").end("tiny"));
            s.get("/binary", (req, res) -> res.contentType("image/png").end(TEXT));
            s.get("/stream", (req, res) -> {
                res.contentType("application/json");
                for (int i = 0; i < 10; i++) {
                    res.write(TEXT.substring(0, 500));
                }
                res.end();
            });
        });
    }

    @AfterAll
    static void stop() {
        TestServers.stop(server);
    }

    static HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(), BodyHandlers.ofByteArray());
    }

    static String gunzip(byte[] b) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void compressesWhenAcceptedAndWorthIt() throws Exception {
        var r = get("/text", "br, gzip;q=0.8");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(r.body().length).isLessThan(TEXT.length() / 10);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
        assertThat(gunzip(r.body())).isEqualTo(TEXT);
    }

    @Test
    void streamedResponsesAreCompressedChunkByChunk() throws Exception {
        var r = get("/stream", "gzip");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(r.body())).isEqualTo(TEXT.substring(0, 500).repeat(10));
    }

    @Test
    void leavesAloneWhatShouldNotBeCompressed() throws Exception {
        assertThat(get("/text", null).headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(get("/text", "gzip;q=0").headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(get("/small", "gzip").headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(get("/binary", "gzip").headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void curlCompressedRoundTrip() throws Exception {
        assertThat(HttpPeersIT.run("curl", "-s", "--compressed", "http://127.0.0.1:" + server.port() + "/text"))
                .isEqualTo(TEXT.trim());
    }
}
