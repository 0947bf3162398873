package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multipart uploads streamed to disk: 1 GiB in flat heap, curl, progress, limits, malformed bodies. */
class UploadIT {
    static final String BOUNDARY = "----eventideUploadIT0d5c9f1e6b2a";
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    @TempDir
    static Path tmp;
    static Path big;
    static Path small;
    static Path limited;
    static Path aborted;
    static final CompletableFuture<Throwable> ABORT_FAILURE = new CompletableFuture<>();
    static HttpServer server;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        big = Files.createDirectories(tmp.resolve("big"));
        small = Files.createDirectories(tmp.resolve("small"));
        limited = Files.createDirectories(tmp.resolve("limited"));
        aborted = Files.createDirectories(tmp.resolve("aborted"));
        MultipartOptions defaults = MultipartOptions.defaults();
        server = TestServers.start(HttpOptions.defaults(), s -> {
            s.post("/big", upload(defaults.tempDir(big).maxFileBytes(2 * GIB).maxTotalBytes(2 * GIB)));
            s.post("/small", upload(defaults.tempDir(small)));
            s.post("/limited", upload(defaults.tempDir(limited).maxFileBytes(MIB).maxTotalBytes(4 * MIB).maxParts(3)));
            s.post("/aborted", (req, res) -> Multipart.upload(req, defaults.tempDir(aborted))
                    .onSuccess(form -> res.end("unexpected"))
                    .onFailure(ABORT_FAILURE::complete));
        });
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        TestServers.stop(server);
    }

    /** Answers one line per field and file, then the last progress event: "progress received/total". */
    static Handler upload(MultipartOptions options) {
        return (req, res) -> {
            long[] progress = {-2, -2};
            req.onProgress((got, total) -> {
                progress[0] = got;
                progress[1] = total;
            });
            Multipart.upload(req, options).onFailure(err -> {
                HttpException he = (HttpException) err;
                res.sendError(he.status(), he.safeMessage());
            }).onSuccess(form -> {
                StringBuilder sb = new StringBuilder();
                form.fields().forEach((k, v) -> sb.append("field ").append(k).append('=').append(v).append('\n'));
                for (UploadedFile f : form.files()) {
                    sb.append("file ").append(f.name()).append(' ').append(f.filename()).append(' ')
                            .append(f.contentType()).append(' ').append(f.size()).append(' ').append(f.sha256())
                            .append(' ').append(f.path().getFileName()).append('\n');
                }
                res.end(sb.append("progress ").append(progress[0]).append('/').append(progress[1]).toString());
            });
        };
    }

    @Test
    void oneGibibyteStreamsToDiskWithAFlatHeap() throws Exception {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        System.gc(); // a baseline without the garbage of earlier tests; the samples below are not after GCs
        long baseline = mx.getHeapMemoryUsage().getUsed();
        AtomicLong maxUsed = new AtomicLong();
        Timer sampler = server.group().loop(0).setInterval(Duration.ofMillis(10),
                () -> maxUsed.accumulateAndGet(mx.getHeapMemoryUsage().getUsed(), Math::max));
        String reply;
        String sha;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            sha = sendGeneratedUpload(socket.getOutputStream(), GIB);
            reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            sampler.cancel();
        }
        assertThat(reply).startsWith("HTTP/1.1 200 ")
                .contains("\nfield note=[a gibibyte]\n")
                .contains("\nfile file big.bin application/octet-stream " + GIB + " " + sha + " ");
        Path stored = single(big);
        assertThat(Files.size(stored)).isEqualTo(GIB);
        assertThat(sha256(stored)).isEqualTo(sha);
        Files.delete(stored);
        assertThat(maxUsed.get() - baseline)
                .as("heap growth while 1 GiB passed (baseline %d MiB, max %d MiB)", baseline >> 20, maxUsed.get() >> 20)
                .isLessThan(256 * MIB);
    }

    /**
     * Writes a multipart request with one field and a {@code size}-byte file made on the fly
     * (64 KiB blocks, each stamped with its index so reordered blocks change the hash).
     *
     * @return the file's SHA-256, hex
     */
    static String sendGeneratedUpload(OutputStream out, long size) throws Exception {
        byte[] prefix = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\na gibibyte\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        String head = "POST /big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: multipart/form-data; boundary=\"" + BOUNDARY + "\"\r\n"
                + "Content-Length: " + (prefix.length + size + suffix.length) + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(prefix);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        new Random(3).nextBytes(block);
        ByteBuffer stamp = ByteBuffer.wrap(block);
        for (long sent = 0, i = 0; sent < size; sent += block.length, i++) {
            stamp.putLong(0, i);
            int n = (int) Math.min(block.length, size - sent);
            md.update(block, 0, n);
            out.write(block, 0, n);
        }
        out.write(suffix);
        out.flush();
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void curlUploadWithFieldsReportsProgressToTheEnd(@TempDir Path dir) throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(5).nextBytes(data);
        Path file = dir.resolve("photo.jpg");
        Files.write(file, data);
        String reply = run("curl", "-sS", "-F", "note=hello world", "-F", "tag=a", "-F", "tag=b",
                "-F", "file=@" + file + ";type=image/jpeg", base + "/small");
        String expected = "file file photo.jpg image/jpeg " + data.length + " " + sha256(data) + " ";
        assertThat(reply).startsWith("field note=[hello world]\nfield tag=[a, b]\n" + expected);
        Path stored = single(small);
        assertThat(Files.mismatch(stored, file)).isEqualTo(-1L);
        assertThat(reply).endsWith(stored.getFileName() + "\nprogress " + progressTotal(reply));
        Files.delete(stored);
    }

    /** @return "n/n" where n is the declared length; the last progress event must have reached it */
    private static String progressTotal(String reply) {
        String last = reply.substring(reply.lastIndexOf("progress ") + 9);
        String total = last.substring(last.indexOf('/') + 1);
        assertThat(Long.parseLong(total)).isPositive();
        return total + "/" + total;
    }

    @Test
    void limitBreachesAre413AndLeaveNoTemporaryFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("two-mib.bin");
        Files.write(file, new byte[2 * 1024 * 1024]);
        String reply = run("curl", "-sS", "-w", "\n%{http_code}", "-F", "file=@" + file, base + "/limited");
        assertThat(reply).isEqualTo("file exceeds max-file-bytes (1048576)\n\n413");
        assertThat(listFiles(limited)).isEmpty();
        String parts = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n";
        var tooMany = post("/limited", "multipart/form-data; boundary=" + BOUNDARY, parts.repeat(4) + "--" + BOUNDARY + "--");
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(tooMany.body()).contains("max-parts (3)");
        // Over the total limit: the declared length alone earns a 413 from the server, before any byte.
        try (RawHttp raw = new RawHttp(server.port())) {
            String r = raw.send("POST /limited HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: " + (5 * MIB) + "\r\n\r\n--b\r\n").readUntilClose();
            assertThat(r).startsWith("HTTP/1.1 413 ").contains("max-body-bytes (4194304)");
        }
        assertThat(listFiles(limited)).isEmpty();
    }

    @Test
    void aClientGoneMidUploadLeavesNoTemporaryFile() throws Exception {
        try (WatchService watch = aborted.getFileSystem().newWatchService()) {
            aborted.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            Socket socket = new Socket("127.0.0.1", server.port());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /aborted HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: " + (10 * MIB) + "\r\n\r\n--b\r\n"
                    + "Content-Disposition: form-data; name=f; filename=f.bin\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[(int) MIB]);
            out.flush();
            // The temporary file exists: the upload is under way. Now the client goes away.
            assertThat(watch.poll(20, TimeUnit.SECONDS)).as("temporary file created").isNotNull();
            socket.close();
        }
        Throwable failure = ABORT_FAILURE.get(20, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(HttpException.class);
        // The promise is rejected only after the temporary files are deleted.
        assertThat(listFiles(aborted)).isEmpty();
    }

    @Test
    void malformedUploadsAre400And415() throws Exception {
        String noClose = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nabc";
        var r = post("/small", "multipart/form-data; boundary=" + BOUNDARY, noClose);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("closing boundary");
        assertThat(post("/small", "multipart/form-data", "x").statusCode()).isEqualTo(400);
        assertThat(post("/small", "multipart/form-data; boundary=a{b", "x").statusCode()).isEqualTo(400);
        assertThat(post("/small", "text/plain", "x").statusCode()).isEqualTo(415);
        String badHead = "--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nabc\r\n--" + BOUNDARY + "--";
        assertThat(post("/small", "multipart/form-data; boundary=" + BOUNDARY, badHead).body())
                .contains("without Content-Disposition");
        assertThat(listFiles(small)).isEmpty();
    }

    static java.net.http.HttpResponse<String> post(String path, String type, String body) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", type)
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
    }

    static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    static Path single(Path dir) throws IOException {
        List<Path> files = listFiles(dir);
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs '" + cmd[0] + "' on PATH: " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as("exit code of %s, output: %s", String.join(" ", cmd), out).isZero();
        return out;
    }
}
