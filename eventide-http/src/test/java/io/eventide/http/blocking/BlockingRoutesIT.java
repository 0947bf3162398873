package io.eventide.http.blocking;

import static io.eventide.http.blocking.Blocking.await;
import static io.eventide.http.blocking.Blocking.blocking;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.BlockedLoopReport;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.net.TcpOptions;
import io.eventide.http.HttpException;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blocking routes: virtual threads, the loop writing, await, the per-route limit, errors, pinning. */
class BlockingRoutesIT {
    private final ConcurrentLinkedQueue<BlockedLoopReport> watchdog = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private LoopGroup group;
    private HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        group = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("blocking-it").onBlocked(watchdog::add)
                .onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        server = HttpServer.create(group, HttpOptions.defaults());
    }

    private void listen() {
        server.listen("127.0.0.1", 0).join();
    }

    @AfterEach
    void stop() {
        server.close(Duration.ofSeconds(2)).join();
        group.close(Duration.ofSeconds(2)).join();
        assertThat(uncaught).isEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                BodyHandlers.ofString());
    }

    @Test
    void aHandlerMaySleepOnItsVirtualThreadWhileTheLoopWritesTheResponse() throws Exception {
        server.get("/report/:id", blocking((req, res) -> {
            Thread me = Thread.currentThread();
            Thread.sleep(50); // a blocking call, fine here
            boolean[] onLoop = {false};
            res.onLoop(r -> onLoop[0] = r.loop().inLoop());
            res.header("X-Thread", me.getName()).end("report " + req.param("id") + " virtual=" + me.isVirtual()
                    + " loop-wrote=" + onLoop[0] + " q=" + req.queryParam("q"));
        }));
        server.get("/empty", blocking((req, res) -> { }));
        listen();
        HttpResponse<String> r = get("/report/7?q=a%20b");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("report 7 virtual=true loop-wrote=true q=a b");
        assertThat(r.headers().firstValue("X-Thread").orElseThrow()).startsWith("eventide-blocking GET /report/7#");
        HttpResponse<String> e = get("/empty");
        assertThat(e.statusCode()).as("ended for it").isEqualTo(200);
        assertThat(e.body()).isEmpty();
    }

    @Test
    void awaitReturnsAPromisesValueInAHandlerAndRefusesToRunOnALoop() throws Exception {
        server.get("/await", blocking((req, res) -> {
            int v = await(req.loop().offload(() -> 6 * 7));
            String failure;
            // The failing promise is made on the loop with a reaction attached there: one made on
            // this thread can fail before await() attaches, and the loop would also report it as
            // an unhandled rejection (see the note on Blocking.await).
            CompletableFuture<io.eventide.core.Promise<Integer>> made = new CompletableFuture<>();
            req.loop().execute(() -> made.complete(req.loop().<Integer>offload(() -> {
                throw new IllegalArgumentException("nope");
            }).onFailure(e -> { })));
            try {
                await(made.get());
                failure = "none";
            } catch (IllegalArgumentException expected) {
                failure = expected.getMessage();
            }
            res.end(v + " " + failure);
        }));
        server.get("/on-loop", (req, res) -> {
            try {
                await(req.loop().offload(() -> 1));
                res.end("awaited on a loop!");
            } catch (IllegalStateException expected) {
                res.end("refused: " + expected.getMessage());
            }
        });
        listen();
        assertThat(get("/await").body()).isEqualTo("42 nope");
        assertThat(get("/on-loop").body()).startsWith("refused: await() would block loop " + group.loop(0).name());
    }

    @Test
    void pastTheRouteLimitRequestsGet503WithRetryAfterAndTheLoopStaysFree() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        BlockingRoute route = blocking(2, (req, res) -> {
            entered.countDown();
            release.await(); // held until the test lets go
            res.end("done");
        });
        server.get("/slow", route);
        server.get("/ping", (req, res) -> res.end("in flight " + route.inFlight()));
        listen();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        held.add(getAsync("/slow"));
        held.add(getAsync("/slow"));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> busy = get("/slow");
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.body()).contains("2 requests of this route are running");
        assertThat(get("/ping").body()).as("the loop answers while both handlers block").isEqualTo("in flight 2");
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get(30, TimeUnit.SECONDS).body()).isEqualTo("done");
        }
        assertThat(route.rejected()).isEqualTo(1);
        // completed() counts a handler once it returned, a moment after its response went out.
    }

    @Test
    void writesBlockTheHandlerNotTheLoopWhileASlowClientReads() throws Exception {
        int chunks = 512; // 512 x 64 KiB = 32 MiB
        AtomicLong maxQueued = new AtomicLong();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        server.get("/stream", blocking((req, res) -> {
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < chunks; i++) {
                java.util.Arrays.fill(chunk, (byte) i);
                sent.update(chunk);
                res.write(chunk); // returns once the loop took it and the connection is below its watermark
                res.onLoop(r -> maxQueued.accumulateAndGet(r.queuedBytes(), Math::max));
            }
            res.end();
        }));
        listen();
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long bodyBytes = 0;
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            bodyBytes = readChunked(in, got);
        }
        assertThat(bodyBytes).isEqualTo(chunks * 64L * 1024);
        assertThat(MessageDigest.isEqual(got.digest(), sent.digest())).isTrue();
        assertThat(maxQueued.get()).as("bytes queued on the connection at most")
                .isLessThanOrEqualTo(TcpOptions.DEFAULT_HIGH_WATERMARK + 64 * 1024 + 64);
    }

    @Test
    void failuresBecomeResponsesAndBodiesCanBeRead() throws Exception {
        server.get("/teapot", blocking((req, res) -> {
            throw new HttpException(418, "short and stout");
        }));
        server.get("/boom", blocking((req, res) -> {
            throw new IllegalStateException("bug");
        }));
        server.post("/upper", blocking((req, res) -> res.end(req.bodyAsString().toUpperCase())));
        listen();
        HttpResponse<String> t = get("/teapot");
        assertThat(t.statusCode()).isEqualTo(418);
        assertThat(t.body()).isEqualTo("short and stout\n");
        assertThat(get("/boom").statusCode()).isEqualTo(500);
        HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/upper")).POST(HttpRequest.BodyPublishers.ofString("quiet")).build(), BodyHandlers.ofString());
        assertThat(up.body()).isEqualTo("QUIET");
    }

    /** Sleeping in a class initializer pins the carrier on every JDK (JEP 491 keeps this case). */
    static final class SlowInit {
        static final long AT;

        static {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            AT = System.nanoTime();
        }

        private SlowInit() {
        }
    }

    @Test
    void aPinnedCarrierIsReportedToTheWatchdogSinkWithTheRoute() throws Exception {
        server.get("/pin", blocking((req, res) -> res.end("init at " + SlowInit.AT)));
        listen();
        assertThat(get("/pin").statusCode()).isEqualTo(200);
        BlockedLoopReport r = null;
        for (int i = 0; i < 300 && r == null; i++) { // JFR streams in batches, about once a second
            r = watchdog.stream().filter(b -> b.loopName().startsWith("virtual thread")).findFirst().orElse(null);
            if (r == null) {
                CompletableFuture<Void> tick = new CompletableFuture<>();
                group.loop(0).setTimeout(100, () -> tick.complete(null));
                tick.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(r).as("a pinning report within 30 s").isNotNull();
        assertThat(r.handler()).isEqualTo("GET /pin [blocking route]");
        assertThat(r.blockedFor()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        assertThat(r.describe()).contains("SlowInit");
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Reads a chunked body slowly (8 KiB at a time), digesting it; returns its length. */
    private static long readChunked(InputStream in, MessageDigest md) throws Exception {
        long total = 0;
        byte[] buf = new byte[8 * 1024];
        while (true) {
            String sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine.trim(), 16);
            if (size == 0) {
                readLine(in);
                return total;
            }
            int left = size;
            while (left > 0) {
                int n = in.read(buf, 0, Math.min(buf.length, left));
                if (n < 0) {
                    throw new AssertionError("body cut short");
                }
                md.update(buf, 0, n);
                left -= n;
                total += n;
            }
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
