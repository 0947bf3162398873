package io.eventide.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.Promise;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 5,000 TCP echo connections open at once against a two-loop server, each with its own
 * pseudo-random payload checked byte for byte: once with one acceptor dealing connections
 * round-robin, once with one SO_REUSEPORT listener per loop.
 */
class TcpEchoIT {
    private static final int CONNECTIONS = 5_000;
    /** Connect in batches well under the default backlog (1,024) so no SYN is dropped and retried. */
    private static final int BATCH = 500;
    private static final long WAIT_SECONDS = 60;

    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private LoopGroup serverGroup;
    private LoopGroup clientGroup;

    /** Buffers out before this test (a deliberate leak elsewhere in the JVM stays out for good). */
    private final long outstandingBefore = BufferPool.outstandingTotal();

    @AfterEach
    void closeGroupsAndCheckForLeaks() throws Exception {
        CompletableFuture<Void> s = serverGroup.close(Duration.ofSeconds(5));
        CompletableFuture<Void> c = clientGroup.close(Duration.ofSeconds(5));
        CompletableFuture.allOf(s, c).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(BufferPool.outstandingTotal() - outstandingBefore).as("pooled buffers still out after close")
                .isZero();
        assertThat(uncaught).isEmpty();
    }

    @ParameterizedTest(name = "reusePort={0}")
    @ValueSource(booleans = {false, true})
    void fiveThousandConcurrentConnectionsEchoEveryByte(boolean reusePort) throws Exception {
        serverGroup = LoopGroup.create(LoopOptions.builder().loops(2).namePrefix("echo-server").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        clientGroup = LoopGroup.create(LoopOptions.builder().loops(2).namePrefix("echo-client").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        TcpOptions options = TcpOptions.defaults().reusePort(reusePort);

        Semaphore serverOpened = new Semaphore(0);
        Semaphore serverClosed = new Semaphore(0);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<String, AtomicLong> perLoop = new ConcurrentHashMap<>();
        TcpServer server = TcpServer.create(serverGroup, options, conn -> {
            conn.onData(buf -> {
                if (!conn.write(buf)) {
                    conn.pause();
                }
            });
            conn.onDrain(conn::resume);
            conn.onClose(cause -> {
                if (cause != null) {
                    failures.add("server side of " + conn + " closed with " + cause);
                }
                serverClosed.release();
            });
            perLoop.computeIfAbsent(conn.loop().name(), k -> new AtomicLong()).incrementAndGet();
            serverOpened.release();
        }).listen("127.0.0.1", 0).join(Duration.ofSeconds(10));

        // 1. Open all 5,000, in batches; each batch is accepted by the server before the next starts.
        List<EchoClient> clients = new ArrayList<>(CONNECTIONS);
        for (int start = 0; start < CONNECTIONS; start += BATCH) {
            List<Promise<EchoClient>> batch = new ArrayList<>(BATCH);
            for (int i = start; i < start + BATCH; i++) {
                int index = i;
                EventLoop loop = clientGroup.next();
                batch.add(TcpClient.connect(loop, "127.0.0.1", server.port(), options)
                        .map(conn -> new EchoClient(index, conn)));
            }
            for (Promise<EchoClient> p : batch) {
                clients.add(p.join(Duration.ofSeconds(WAIT_SECONDS)));
            }
            assertThat(serverOpened.tryAcquire(BATCH, WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("server accepted batch starting at %d", start).isTrue();
        }
        assertThat(server.connections()).as("connections open at once").isEqualTo(CONNECTIONS);

        // 2. All of them send and check their echo at the same time.
        for (EchoClient c : clients) {
            c.conn.loop().execute(c::start);
        }
        for (EchoClient c : clients) {
            c.done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        long payloadBytes = 0;
        for (EchoClient c : clients) {
            payloadBytes += c.length;
            assertThat(c.received).as("bytes echoed to client %d", c.index).isEqualTo(c.length);
        }
        assertThat(payloadBytes).isGreaterThan(CONNECTIONS * 4096L);

        // 3. Every client closed after its echo; every server side follows (FIN, then auto-end).
        assertThat(serverClosed.tryAcquire(CONNECTIONS, WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(failures).isEmpty();
        assertThat(server.connections()).isZero();
        assertThat(server.accepted()).isEqualTo(CONNECTIONS);
        assertThat(server.rejected()).isZero();
        assertThat(perLoop).hasSize(2);
        if (!reusePort) {
            // The acceptor deals strictly round-robin.
            assertThat(perLoop.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(CONNECTIONS / 2));
        }
    }

    /** Byte {@code k} of the payload of stream {@code seed}: stateless, so any split checks the same. */
    static byte byteAt(long seed, long k) {
        return (byte) mix(seed * 0x9E3779B97F4A7C15L + k);
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One client connection. Loop-confined after construction (start runs on its loop). */
    private static final class EchoClient {
        private final int index;
        private final Connection conn;
        private final int length;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private int sent;
        private volatile int received;

        EchoClient(int index, Connection conn) {
            this.index = index;
            this.conn = conn;
            this.length = 4096 + (int) Long.remainderUnsigned(mix(index * 31L + 7), 12 * 1024 + 1);
        }

        void start() {
            conn.onData(this::check);
            conn.onDrain(this::pump);
            conn.onClose(cause -> {
                if (!done.isDone()) {
                    done.completeExceptionally(new AssertionError("client " + index + " closed after " + received
                            + " of " + length + " bytes", cause));
                }
            });
            pump();
        }

        /** Several writes of 500..4,595 bytes each, stopping when write() asks us to. */
        private void pump() {
            while (sent < length) {
                int piece = Math.min(length - sent, 500 + (int) Long.remainderUnsigned(mix(index + sent), 4096));
                ByteBuffer b = ByteBuffer.allocate(piece);
                for (int k = 0; k < piece; k++) {
                    b.put(byteAt(index, sent + k));
                }
                sent += piece;
                if (!conn.write(b.flip())) {
                    return;
                }
            }
        }

        private void check(ByteBuffer buf) {
            int r = received;
            while (buf.hasRemaining()) {
                byte got = buf.get();
                if (r >= length || got != byteAt(index, r)) {
                    done.completeExceptionally(new AssertionError("client " + index + ": wrong byte at offset " + r
                            + " of " + length));
                    buf.position(buf.limit());
                    conn.destroy();
                    return;
                }
                r++;
            }
            received = r;
            if (r == length) {
                done.complete(null); // before close(): onClose runs inside it and would see "not done"
                conn.close();
            }
        }
    }
}
