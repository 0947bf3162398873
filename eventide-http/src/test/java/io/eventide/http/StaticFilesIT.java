package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StaticFiles against the JDK HttpClient and raw sockets: types, validators, ranges, traversal. */
class StaticFilesIT {
    static final String SECRET = "TOP SECRET outside the root";
    static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");

    @TempDir
    static Path tmp;
    static Path root;
    static byte[] big;
    static HttpServer server;
    static String base;
    static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        root = Files.createDirectories(tmp.resolve("public"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("style.css"), "body{}");
        Files.writeString(root.resolve("app.mjs"), "export {}");
        Files.writeString(root.resolve("data.json"), "{\"a\":1}");
        Files.writeString(root.resolve("notes.txt"), "h\u00e9llo");
        Files.write(root.resolve("logo.PNG"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(root.resolve("blob.xyz"), "?");
        Files.write(root.resolve("empty.txt"), new byte[0]);
        Files.writeString(root.resolve(".env"), SECRET);
        Files.writeString(Files.createDirectories(root.resolve("sub")).resolve("index.html"), "<h1>sub</h1>");
        Files.createDirectories(root.resolve("emptydir"));
        Files.createSymbolicLink(root.resolve("link-out"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dirlink-out"), outside);
        Files.createSymbolicLink(root.resolve("link-in.txt"), root.resolve("notes.txt"));
        big = new byte[20 << 20];
        new Random(1).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.setLastModifiedTime(root.resolve("big.bin"), FileTime.from(MTIME));
        server = TestServers.start(HttpOptions.defaults(), s -> {
            s.get("/static/*", StaticFiles.serve(root));
            s.get("/cached/*", StaticFiles.serve(root, StaticFileOptions.defaults()
                    .maxAge(Duration.ofDays(365)).immutable(true)));
        });
        base = "http://127.0.0.1:" + server.port();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        TestServers.stop(server);
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(URI.create(base + path)).method(method, BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), BodyHandlers.ofByteArray());
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void servesContentWithTypeValidatorsAndCacheHeaders() throws Exception {
        String[][] cases = {
            {"/static/index.html", "<h1>home</h1>", "text/html; charset=utf-8"},
            {"/static/style.css", "body{}", "text/css; charset=utf-8"},
            {"/static/app.mjs", "export {}", "text/javascript; charset=utf-8"},
            {"/static/data.json", "{\"a\":1}", "application/json; charset=utf-8"},
            {"/static/notes.txt", "h\u00e9llo", "text/plain; charset=utf-8"},
            {"/static/logo.PNG", "\u0089PNG", "image/png"},
            {"/static/blob.xyz", "?", "application/octet-stream"},
            {"/static/link-in.txt", "h\u00e9llo", "text/plain; charset=utf-8"},
            {"/static/", "<h1>home</h1>", "text/html; charset=utf-8"},
            {"/static/sub/", "<h1>sub</h1>", "text/html; charset=utf-8"},
            {"/static/empty.txt", "", "text/plain; charset=utf-8"},
        };
        for (String[] c : cases) {
            HttpResponse<byte[]> r = get(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(200);
            String body = c[0].endsWith("PNG") ? new String(r.body(), StandardCharsets.ISO_8859_1) : text(r);
            assertThat(body).as(c[0]).isEqualTo(c[1]);
            assertThat(header(r, "Content-Type")).as(c[0]).isEqualTo(c[2]);
            assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(r.body().length));
            assertThat(header(r, "ETag")).startsWith("W/\"");
            assertThat(header(r, "Last-Modified")).endsWith(" GMT");
            assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");
            assertThat(header(r, "Cache-Control")).isEqualTo("public, max-age=0");
        }
        assertThat(header(get("/cached/style.css"), "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    }

    @Test
    void directoriesMissingFilesAndDotfiles() throws Exception {
        HttpResponse<byte[]> redirect = get("/static/sub?x=1");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(header(redirect, "Location")).isEqualTo("/static/sub/?x=1");
        for (String p : List.of("/static/missing.txt", "/static/emptydir/", "/static/.env", "/static/sub/.env",
                "/static/index.html/x", "/static/link-out", "/static/dirlink-out/secret.txt")) {
            HttpResponse<byte[]> r = get(p);
            assertThat(r.statusCode()).as(p).isEqualTo(404);
            assertThat(text(r)).as(p).isEqualTo("Not Found\n").doesNotContain(SECRET);
        }
    }

    @Test
    void headSendsTheHeadersOfGetWithoutABody() throws Exception {
        HttpResponse<byte[]> r = send("HEAD", "/static/big.bin", "Range", "bytes=0-9");
        assertThat(r.statusCode()).isEqualTo(200); // Range is for GET only (RFC 9110 §14.2)
        assertThat(r.body()).isEmpty();
        assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(big.length));
        assertThat(header(r, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(r, "Last-Modified")).isEqualTo("Tue, 02 Jan 2024 03:04:05 GMT");
    }

    @Test
    void conditionalRequestsGet304AndIfNoneMatchWins() throws Exception {
        HttpResponse<byte[]> first = get("/static/big.bin", "Range", "bytes=0-0");
        String etag = header(first, "ETag");
        String lastModified = header(first, "Last-Modified");
        HttpResponse<byte[]> byTag = get("/static/big.bin", "If-None-Match", "\"other\", " + etag);
        assertThat(byTag.statusCode()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(header(byTag, "ETag")).isEqualTo(etag);
        assertThat(header(byTag, "Cache-Control")).isEqualTo("public, max-age=0");
        assertThat(get("/static/big.bin", "If-None-Match", etag.substring(2)).statusCode()).isEqualTo(304);
        assertThat(get("/static/big.bin", "If-None-Match", "*").statusCode()).isEqualTo(304);
        assertThat(get("/static/big.bin", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
        assertThat(get("/static/big.bin", "If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT").statusCode())
                .isEqualTo(200);
        // RFC 9110 §13.2.2: with If-None-Match present, If-Modified-Since is not even looked at.
        assertThat(get("/static/big.bin", "If-None-Match", "\"other\"", "If-Modified-Since", lastModified)
                .statusCode()).isEqualTo(200);
        assertThat(get("/static/big.bin", "If-None-Match", etag, "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")
                .statusCode()).isEqualTo(304);
        assertThat(send("HEAD", "/static/big.bin", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(get("/static/big.bin", "If-Match", etag).statusCode()).isEqualTo(412); // weak never matches
        assertThat(get("/static/big.bin", "If-Match", "*").statusCode()).isEqualTo(200);
        assertThat(get("/static/big.bin", "If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").statusCode())
                .isEqualTo(412);
    }

    @Test
    void singleRangesAreByteExact() throws Exception {
        int n = big.length;
        assertRange("bytes=0-99", 0, 99);
        assertRange("bytes=1000-", 1000, n - 1);
        assertRange("bytes=-500", n - 500, n - 1);
        assertRange("bytes=12345678-12400000", 12345678, 12400000);
        assertRange("bytes=" + (n - 1) + "-99999999999999999999", n - 1, n - 1);
        assertRange("bytes=-99999999", 0, n - 1);
        assertRange("bytes=5-5", 5, 5);
    }

    private static void assertRange(String range, int first, int last) throws Exception {
        HttpResponse<byte[]> r = get("/static/big.bin", "Range", range);
        assertThat(r.statusCode()).as(range).isEqualTo(206);
        assertThat(header(r, "Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + big.length);
        assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(last - first + 1));
        assertThat(Arrays.equals(r.body(), Arrays.copyOfRange(big, first, last + 1))).as(range).isTrue();
    }

    @Test
    void unsatisfiableMultipleAndInvalidRanges() throws Exception {
        for (String range : List.of("bytes=" + big.length + "-", "bytes=99999999-99999999", "bytes=-0")) {
            HttpResponse<byte[]> r = get("/static/big.bin", "Range", range);
            assertThat(r.statusCode()).as(range).isEqualTo(416);
            assertThat(header(r, "Content-Range")).isEqualTo("bytes */" + big.length);
        }
        assertThat(get("/static/empty.txt", "Range", "bytes=0-").statusCode()).isEqualTo(416);
        for (String range : List.of("bytes=0-1,5-9", "bytes=5-2", "items=0-1", "bytes=x-", "bytes=1")) {
            HttpResponse<byte[]> r = get("/static/notes.txt", "Range", range);
            assertThat(r.statusCode()).as(range).isEqualTo(200);
            assertThat(text(r)).isEqualTo("h\u00e9llo");
        }
    }

    @Test
    void ifRangeAppliesTheRangeOnlyToAnUnchangedFile() throws Exception {
        String etag = header(get("/static/big.bin", "Range", "bytes=0-0"), "ETag");
        HttpResponse<byte[]> sameDate = get("/static/big.bin", "Range", "bytes=10-19", "If-Range", "Tue, 02 Jan 2024 03:04:05 GMT");
        assertThat(sameDate.statusCode()).isEqualTo(206);
        assertThat(sameDate.body()).isEqualTo(Arrays.copyOfRange(big, 10, 20));
        HttpResponse<byte[]> otherDate = get("/static/notes.txt", "Range", "bytes=0-0", "If-Range", "Tue, 02 Jan 2024 03:04:05 GMT");
        assertThat(otherDate.statusCode()).isEqualTo(200);
        // If-Range compares entity tags strongly (RFC 9110 §13.1.5); ours are weak, so: the whole file.
        assertThat(get("/static/notes.txt", "Range", "bytes=0-0", "If-Range", etag).statusCode()).isEqualTo(200);
    }

    @Test
    void twentyMebibyteFileIsByteExact() throws Exception {
        HttpResponse<byte[]> r = get("/static/big.bin");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().length).isEqualTo(big.length);
        assertThat(Arrays.equals(r.body(), big)).isTrue();
    }

    @Test
    void traversalAttemptsNeverReachOutsideTheRoot() throws Exception {
        List<String> targets = List.of(
                "/static/../../etc/passwd", "/static/../outside/secret.txt", "/static/sub/../../outside/secret.txt",
                "/static/%2e%2e/%2e%2e/etc/passwd", "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "/static/..%2f..%2foutside%2fsecret.txt", "/static/%2E%2E/outside/secret.txt",
                "/static/%252e%252e/outside/secret.txt", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
                "/static/..%5c..%5coutside%5csecret.txt", "/static/index.html%00.txt", "/static/%00",
                "/static/link-out", "/static/dirlink-out/secret.txt", "/static/.env", "/static/./.env",
                "/static/sub/..", "http://127.0.0.1/static/../outside/secret.txt");
        for (String t : targets) {
            String reply;
            try (RawHttp raw = new RawHttp(server.port())) {
                reply = raw.send("GET " + t + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readUntilClose();
            }
            assertThat(reply).as(t).matches("(?s)HTTP/1\\.1 (400|404) .*").doesNotContain(SECRET).doesNotContain("root:");
        }
    }
}
