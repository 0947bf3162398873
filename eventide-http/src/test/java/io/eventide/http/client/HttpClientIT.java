package io.eventide.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpResponse;
import io.eventide.http.HttpServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against Eventide's own {@link HttpServer} over 127.0.0.1: keep-alive reuse (counted
 * by the client ports the server sees), pool limits and queueing, 100 concurrent requests,
 * 64 MiB streamed both ways with backpressure, and which loop callbacks run on.
 */
class HttpClientIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static LoopGroup serverGroup;
    private static LoopGroup clientGroup;
    private static HttpServer server;
    private static final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private static final Object holdLock = new Object();
    private static final List<HttpResponse> held = new ArrayList<>();
    private static final Semaphore heldCount = new Semaphore(0);
    private static boolean holding;

    @BeforeAll
    static void start() {
        serverGroup = LoopGroup.create(2);
        clientGroup = LoopGroup.create(2);
        server = HttpServer.create(serverGroup, HttpOptions.builder().maxBodyBytes(256L << 20).build());
        server.get("/hello", (req, res) -> {
            clientPorts.add(req.remoteAddress().getPort());
            String in = req.header("X-In");
            res.header("X-Echo", in == null ? "-" : in).end("Hello, World!");
        });
        server.post("/echo", (req, res) -> {
            clientPorts.add(req.remoteAddress().getPort());
            res.header("X-Framing", req.header("Transfer-Encoding") != null ? "chunked"
                    : "length " + req.header("Content-Length"));
            req.onData(chunk -> {
                if (!res.write(chunk)) {
                    req.pause();
                }
            });
            res.onDrain(req::resume);
            req.onEnd(res::end);
        });
        server.get("/hold", (req, res) -> {
            clientPorts.add(req.remoteAddress().getPort());
            synchronized (holdLock) {
                if (holding) {
                    held.add(res);
                    heldCount.release();
                    return;
                }
            }
            res.end("released");
        });
        server.listen("127.0.0.1", 0).join();
    }

    @AfterAll
    static void stop() {
        server.close(Duration.ofSeconds(5)).join();
        clientGroup.close(Duration.ofSeconds(5)).join();
        serverGroup.close(Duration.ofSeconds(5)).join();
    }

    @BeforeEach
    void clearPorts() {
        clientPorts.clear();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static String body(Promise<ClientResponse> response) {
        return response.flatMap(ClientResponse::bodyAsString).join(WAIT);
    }

    @Test
    void sendsAndReceivesHeadersAndBodies() {
        HttpClient client = HttpClient.create(clientGroup);
        ClientResponse res = client.request("GET", url("/hello")).header("X-In", "abc").send().join(WAIT);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.reason()).isEqualTo("OK");
        assertThat(res.version()).isEqualTo("HTTP/1.1");
        assertThat(res.header("x-echo")).isEqualTo("abc");
        assertThat(res.contentLength()).isEqualTo(13);

        Promise<ClientResponse> post = client.post(url("/echo"), "payload");
        assertThat(body(post)).isEqualTo("payload");
        assertThat(post.join(WAIT).header("X-Framing")).isEqualTo("length 7");
        client.close().join(WAIT);
    }

    @Test
    void reusesOneKeepAliveConnectionForSequentialRequests() {
        HttpClient client = HttpClient.create(clientGroup.loop(0), ClientOptions.defaults());
        for (int i = 0; i < 10; i++) {
            assertThat(body(client.get(url("/hello")))).isEqualTo("Hello, World!");
        }
        assertThat(clientPorts).hasSize(1);
        assertThat(client.connections()).isEqualTo(1);
        client.close().join(WAIT);
    }

    @Test
    void servesAHundredConcurrentRequests() {
        HttpClient client = HttpClient.create(clientGroup, ClientOptions.builder().maxConnectionsPerOrigin(8).build());
        List<Promise<String>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(client.request("GET", url("/hello")).header("X-In", "n" + i).send()
                    .map(res -> res.header("X-Echo")));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(all.get(i).join(WAIT)).isEqualTo("n" + i);
        }
        // Two client loops, each with its own pool of at most 8 connections to this origin.
        assertThat(clientPorts.size()).isBetween(2, 16);
        client.close().join(WAIT);
    }

    @Test
    void queuesPastTheConnectionLimitAndRefusesPastTheQueue() throws InterruptedException {
        HttpClient client = HttpClient.create(clientGroup.loop(0),
                ClientOptions.builder().maxConnectionsPerOrigin(2).maxWaitQueue(3).build());
        synchronized (holdLock) {
            holding = true;
        }
        List<Promise<ClientResponse>> accepted = new ArrayList<>();
        accepted.add(client.get(url("/hold")));
        accepted.add(client.get(url("/hold")));
        heldCount.acquire(2); // both connections are busy at the server
        for (int i = 0; i < 3; i++) {
            accepted.add(client.get(url("/hold")));
        }
        Promise<ClientResponse> overflow = client.get(url("/hold"));
        assertThatThrownBy(() -> overflow.join(WAIT)).isInstanceOf(OverloadException.class)
                .hasMessageContaining("max-connections-per-origin 2, max-wait-queue 3");
        synchronized (holdLock) {
            holding = false;
            for (HttpResponse res : held) {
                res.loop().execute(() -> res.end("released"));
            }
            held.clear();
        }
        for (Promise<ClientResponse> p : accepted) {
            assertThat(body(p)).isEqualTo("released");
        }
        assertThat(clientPorts).hasSize(2);
        assertThat(client.connections()).isEqualTo(2);
        client.close().join(WAIT);
    }

    @Test
    void completesOnTheCallersLoop() {
        HttpClient client = HttpClient.create(clientGroup);
        LoopGroup other = LoopGroup.create(1);
        try {
            EventLoop caller = other.loop(0);
            CompletableFuture<String> seen = new CompletableFuture<>();
            caller.execute(() -> client.get(url("/hello")).onSuccess(res -> seen.complete(
                    Thread.currentThread().getName() + " " + (res.loop() == caller) + " " + EventLoop.current().name()))
                    .onFailure(seen::completeExceptionally));
            assertThat(seen.join()).isEqualTo(caller.name() + " true " + caller.name());

            ClientResponse fromMain = client.get(url("/hello")).join(WAIT);
            assertThat(clientGroup.loops()).contains(fromMain.loop());
        } finally {
            client.close().join(WAIT);
            other.close(Duration.ofSeconds(5)).join();
        }
    }

    @Test
    void streams64MiBBothWaysWithBoundedMemory() {
        long total = 64L << 20;
        HttpClient client = HttpClient.create(clientGroup);
        EventLoop loop = clientGroup.loop(1);
        Echo echo = new Echo(client, url("/echo"), total);
        loop.execute(echo::start);
        Echo.Result r = echo.done.join();
        assertThat(r.received()).isEqualTo(total);
        assertThat(r.corruptAt()).isEqualTo(-1);
        assertThat(r.framing()).isEqualTo("chunked");
        // What is in flight is bounded by socket buffers and watermarks, not by the body size.
        assertThat(r.maxInFlight()).isLessThan(total / 2);
        client.close().join(WAIT);
    }

    /**
     * Streams {@code total} bytes to the echo route, writing only while the request accepts more,
     * and reads them back with a consumer that pauses now and then, so backpressure has to travel
     * from the client's reader, through the server, to the client's writer.
     */
    private static final class Echo {
        record Result(long received, long corruptAt, long maxInFlight, String framing) {
        }

        private static final int CHUNK = 64 * 1024;
        private final HttpClient client;
        private final String url;
        private final long total;
        private final byte[] chunk = new byte[CHUNK];
        private final CompletableFuture<Result> done = new CompletableFuture<>();
        private ClientRequest req;
        private long sent;
        private long received;
        private long maxInFlight;
        private long corruptAt = -1;
        private int deliveries;

        Echo(HttpClient client, String url, long total) {
            this.client = client;
            this.url = url;
            this.total = total;
            for (int i = 0; i < CHUNK; i++) {
                chunk[i] = (byte) (i * 31 + 7);
            }
        }

        void start() {
            req = client.request("POST", url);
            req.onDrain(this::pump);
            req.response().onSuccess(this::consume).onFailure(done::completeExceptionally);
            pump();
        }

        private void pump() {
            while (sent < total) {
                sent += CHUNK;
                maxInFlight = Math.max(maxInFlight, sent - received);
                if (!req.write(ByteBuffer.wrap(chunk))) {
                    return; // resumed by onDrain
                }
            }
            req.end();
        }

        private void consume(ClientResponse res) {
            res.onData(buf -> {
                while (buf.hasRemaining()) {
                    if (buf.get() != chunk[(int) (received % CHUNK)] && corruptAt < 0) {
                        corruptAt = received;
                    }
                    received++;
                }
                if (++deliveries % 16 == 0) {
                    res.pause(); // a slow consumer: the socket stops until the timer resumes it
                    res.loop().setTimeout(1, res::resume);
                }
            });
            res.onEnd(() -> done.complete(new Result(received, corruptAt, maxInFlight, res.header("X-Framing"))));
            res.onError(done::completeExceptionally);
        }
    }
}
