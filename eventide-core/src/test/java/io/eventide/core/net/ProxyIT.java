package io.eventide.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TCP proxy built from two {@link Pipe}s, in front of an echo server (many clients, every byte
 * checked) and in front of a slow sink (64 MiB one way: backpressure crosses the proxy, its queues
 * stay bounded, and the bytes arrive intact).
 */
class ProxyIT {
    private static final int HIGH = 64 * 1024;
    private static final int LOW = 16 * 1024;
    private static final long WAIT_SECONDS = 30;

    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private final TcpOptions options = TcpOptions.defaults().watermarks(HIGH, LOW);
    private LoopGroup proxyGroup;
    private LoopGroup backendGroup;
    private LoopGroup clientGroup;

    /** Proxy-side connections (both ends), for the test's checks; written on the proxy loops. */
    private final ConcurrentLinkedQueue<Connection> upstreams = new ConcurrentLinkedQueue<>();
    private final Semaphore proxyClosed = new Semaphore(0);
    private final CompletableFuture<Void> proxyPaused = new CompletableFuture<>();

    /** Buffers out before this test (a deliberate leak elsewhere in the JVM stays out for good). */
    private final long outstandingBefore = BufferPool.outstandingTotal();

    @BeforeEach
    void startGroups() {
        proxyGroup = LoopGroup.create(LoopOptions.builder().loops(2).namePrefix("proxy").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        backendGroup = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("backend").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        clientGroup = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("proxy-client").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
    }

    @AfterEach
    void closeGroupsAndCheckForLeaks() throws Exception {
        CompletableFuture.allOf(proxyGroup.close(Duration.ofSeconds(5)), backendGroup.close(Duration.ofSeconds(5)),
                clientGroup.close(Duration.ofSeconds(5))).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(BufferPool.outstandingTotal() - outstandingBefore).as("pooled buffers still out after close")
                .isZero();
        assertThat(uncaught).isEmpty();
    }

    /** The proxy under test: the few lines of the Pipe javadoc, plus bookkeeping for the checks. */
    private TcpServer startProxy(int upstreamPort) {
        return TcpServer.create(proxyGroup, options, in -> {
            in.pause();
            in.onClose(cause -> proxyClosed.release()); // must survive the pipe (it chains, not replaces)
            TcpClient.connect(in.loop(), "127.0.0.1", upstreamPort, options).onSuccess(out -> {
                upstreams.add(out);
                out.onClose(cause -> proxyClosed.release());
                Pipe.between(in, out);
                Pipe.between(out, in);
                in.resume();
                watchForPause(in);
            }).onFailure(in::destroy);
        }).listen("127.0.0.1", 0).join(Duration.ofSeconds(10));
    }

    /** Completes {@link #proxyPaused} once the pipe has paused {@code in} (a loop timer, not a sleep). */
    private void watchForPause(Connection in) {
        Timer[] probe = new Timer[1];
        probe[0] = in.loop().setInterval(Duration.ofMillis(1), () -> {
            if (in.isPaused() || in.isClosed()) {
                if (in.isPaused()) {
                    proxyPaused.complete(null);
                }
                probe[0].cancel();
            }
        });
    }

    @Test
    void fiftyClientsEchoThroughTheProxy() throws Exception {
        Semaphore echoClosed = new Semaphore(0);
        TcpServer echo = TcpServer.create(backendGroup, options, conn -> {
            conn.onData(buf -> {
                if (!conn.write(buf)) {
                    conn.pause();
                }
            });
            conn.onDrain(conn::resume);
            conn.onClose(cause -> echoClosed.release());
        }).listen("127.0.0.1", 0).join(Duration.ofSeconds(10));
        TcpServer proxy = startProxy(echo.port());

        int clients = 50;
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            results.add(echoThrough(proxy.port(), i, 4096 + i * 997));
        }
        for (int i = 0; i < clients; i++) {
            assertThat(results.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS)).as("client %d", i).isEqualTo(4096 + i * 997);
        }
        // Each client closes after its echo; the pipes close both proxy sides, and the echo server's.
        assertThat(proxyClosed.tryAcquire(2 * clients, WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(echoClosed.tryAcquire(clients, WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(proxy.connections()).isZero();
        assertThat(echo.connections()).isZero();
        assertThat(upstreams).hasSize(clients).allSatisfy(c -> assertThat(c.isClosed()).isTrue());
    }

    /** One client: sends {@code length} bytes of stream {@code seed}, checks the echo, closes. */
    private CompletableFuture<Integer> echoThrough(int port, int seed, int length) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        EventLoop loop = clientGroup.next();
        loop.execute(() -> TcpClient.connect(loop, "127.0.0.1", port, options).whenComplete((conn, err) -> {
            if (err != null) {
                done.completeExceptionally(err);
                return;
            }
            int[] received = {0};
            conn.onData(buf -> {
                while (buf.hasRemaining()) {
                    if (buf.get() != byteAt(seed, received[0]++)) {
                        done.completeExceptionally(new AssertionError("client " + seed + ": wrong byte at " + (received[0] - 1)));
                        buf.position(buf.limit());
                        conn.destroy();
                        return;
                    }
                }
                if (received[0] == length) {
                    done.complete(length);
                    conn.close();
                }
            });
            conn.onClose(cause -> done.completeExceptionally(new AssertionError("client " + seed
                    + " closed after " + received[0] + " bytes", cause)));
            for (int off = 0; off < length; off += 1500) {
                int n = Math.min(1500, length - off);
                ByteBuffer b = ByteBuffer.allocate(n);
                for (int k = 0; k < n; k++) {
                    b.put(byteAt(seed, off + k));
                }
                conn.write(b.flip()); // at most ~16 KiB in all: under the watermark
            }
        }));
        return done;
    }

    @Test
    void bigTransferToASlowSinkStaysBoundedAndIntact() throws Exception {
        long total = 64L * 1024 * 1024;
        int sinkStep = 256 * 1024;
        long seed = 42;

        // The sink starts paused; the test resumes it one step (>= 256 KiB) at a time.
        BlockingQueue<String> sinkSteps = new LinkedBlockingQueue<>();
        CompletableFuture<Sink> sinkFuture = new CompletableFuture<>();
        TcpServer sinkServer = TcpServer.create(backendGroup, options,
                conn -> sinkFuture.complete(new Sink(conn, seed, sinkStep, sinkSteps)))
                .listen("127.0.0.1", 0).join(Duration.ofSeconds(10));
        TcpServer proxy = startProxy(sinkServer.port());

        EventLoop clientLoop = clientGroup.loop(0);
        CompletableFuture<Source> sourceFuture = new CompletableFuture<>();
        clientLoop.execute(() -> TcpClient.connect(clientLoop, "127.0.0.1", proxy.port(), options)
                .whenComplete((conn, err) -> {
                    if (err != null) {
                        sourceFuture.completeExceptionally(err);
                    } else {
                        sourceFuture.complete(new Source(conn, seed, total));
                    }
                }));
        Source source = sourceFuture.get(WAIT_SECONDS, TimeUnit.SECONDS);
        Sink sink = sinkFuture.get(WAIT_SECONDS, TimeUnit.SECONDS);

        // Nothing has been read at the far end yet: the proxy must have paused its reading side.
        proxyPaused.get(WAIT_SECONDS, TimeUnit.SECONDS);
        String last = "paused";
        EventLoop sinkLoop = sink.conn.loop();
        for (int i = 0; i < 10_000 && last.equals("paused"); i++) {
            sinkLoop.execute(sink.conn::resume);
            last = sinkSteps.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(last).as("sink step %d", i).isNotNull();
        }
        assertThat(last).isEqualTo("ended");
        assertThat(sink.failure).isNull();
        assertThat(sink.received).isEqualTo(total);
        assertThat(source.done.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("source closed cleanly").isEqualTo("clean");
        assertThat(source.pauses).as("source saw write() return false").isPositive();
        assertThat(proxyClosed.tryAcquire(2, WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        // What the proxy held for the slow sink: up to the watermark plus one read, never the 64 MiB.
        Connection out = upstreams.peek();
        assertThat(out).isNotNull();
        long peak = peakOf(out);
        assertThat(peak).as("proxy->sink queue peak").isGreaterThanOrEqualTo(HIGH)
                .isLessThanOrEqualTo(HIGH + EventLoop.READ_BUFFER_SIZE);
        assertThat(source.peak).as("source queue peak").isLessThanOrEqualTo(HIGH + Source.PIECE);
    }

    private static long peakOf(Connection c) {
        Promise<Long> p = c.loop().promise();
        c.loop().execute(() -> p.resolve(c.peakQueuedBytes()));
        return p.join(Duration.ofSeconds(WAIT_SECONDS));
    }

    static byte byteAt(long seed, long k) {
        long z = seed * 0x9E3779B97F4A7C15L + k;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (byte) (z ^ (z >>> 31));
    }

    /** Writes {@code total} bytes in pieces, honouring backpressure, then ends. Loop-confined. */
    private static final class Source {
        static final int PIECE = 32 * 1024;
        private final Connection conn;
        private final long seed;
        private final long total;
        private final ByteBuffer piece = ByteBuffer.allocate(PIECE);
        private final CompletableFuture<String> done = new CompletableFuture<>();
        private long offset;
        private volatile int pauses;
        private volatile long peak;

        Source(Connection conn, long seed, long total) {
            this.conn = conn;
            this.seed = seed;
            this.total = total;
            conn.onDrain(this::pump);
            conn.onClose(cause -> {
                peak = conn.peakQueuedBytes();
                done.complete(cause == null && offset == total ? "clean" : "closed at " + offset + ": " + cause);
            });
            pump();
        }

        void pump() {
            while (offset < total) {
                piece.clear();
                for (int k = 0; k < PIECE; k++) {
                    piece.put(byteAt(seed, offset + k));
                }
                offset += PIECE;
                if (!conn.write(piece.flip())) {
                    pauses++;
                    return;
                }
            }
            conn.end();
        }
    }

    /** Reads at least {@code step} bytes per resume, checks them, pauses. Loop-confined. */
    private static final class Sink {
        private final Connection conn;
        private final long seed;
        private final int step;
        private final BlockingQueue<String> steps;
        private volatile long received;
        private volatile String failure;
        private long sinceResume;

        Sink(Connection conn, long seed, int step, BlockingQueue<String> steps) {
            this.conn = conn;
            this.seed = seed;
            this.step = step;
            this.steps = steps;
            conn.pause();
            conn.onData(this::check);
            conn.onEnd(() -> steps.add("ended"));
        }

        private void check(ByteBuffer buf) {
            long r = received;
            while (buf.hasRemaining()) {
                if (buf.get() != byteAt(seed, r) && failure == null) {
                    failure = "wrong byte at offset " + r;
                }
                r++;
            }
            sinceResume += r - received;
            received = r;
            if (sinceResume >= step) {
                sinceResume = 0;
                conn.pause();
                steps.add("paused");
            }
        }
    }
}
