package io.eventide.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A slow reader makes a fast writer pause and resume. The reader is a client connection the test
 * resumes one step at a time (read at least 64 KiB, pause, tell the test); the writer is the server,
 * writing 16 KiB chunks while {@code write} returns true and again on {@code onDrain}.
 */
class BackpressureIT {
    private static final int HIGH = 64 * 1024;
    private static final int LOW = 16 * 1024;
    private static final int CHUNK = 16 * 1024;
    private static final long TOTAL = 32L * 1024 * 1024;
    private static final int STEP = 64 * 1024;
    private static final int MAX_STEPS = 10_000;
    private static final long WAIT_SECONDS = 30;

    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private LoopGroup serverGroup;
    private LoopGroup clientGroup;

    /** Buffers out before this test (a deliberate leak elsewhere in the JVM stays out for good). */
    private final long outstandingBefore = BufferPool.outstandingTotal();

    @AfterEach
    void closeGroupsAndCheckForLeaks() throws Exception {
        CompletableFuture.allOf(serverGroup.close(Duration.ofSeconds(5)), clientGroup.close(Duration.ofSeconds(5)))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(BufferPool.outstandingTotal() - outstandingBefore).as("pooled buffers still out after close")
                .isZero();
        assertThat(uncaught).isEmpty();
    }

    @Test
    void slowReaderPausesAndResumesTheWriterAndEveryByteArrives() throws Exception {
        serverGroup = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("bp-server").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        clientGroup = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("bp-client").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        TcpOptions options = TcpOptions.defaults().watermarks(HIGH, LOW);
        CompletableFuture<Writer> writerDone = new CompletableFuture<>();
        CompletableFuture<Void> firstPause = new CompletableFuture<>();
        TcpServer server = TcpServer.create(serverGroup, options, conn -> new Writer(conn, firstPause, writerDone).pump())
                .listen("127.0.0.1", 0).join(Duration.ofSeconds(10));

        BlockingQueue<String> steps = new LinkedBlockingQueue<>();
        EventLoop clientLoop = clientGroup.loop(0);
        CompletableFuture<Reader> readerFuture = new CompletableFuture<>();
        clientLoop.execute(() -> TcpClient.connect(clientLoop, "127.0.0.1", server.port(), options)
                .whenComplete((conn, err) -> {
                    if (err != null) {
                        readerFuture.completeExceptionally(err);
                    } else {
                        readerFuture.complete(new Reader(conn, steps)); // starts paused
                    }
                }));
        Reader reader = readerFuture.get(WAIT_SECONDS, TimeUnit.SECONDS);

        // The reader has not read a byte yet: the writer must hit the high watermark first.
        firstPause.get(WAIT_SECONDS, TimeUnit.SECONDS);
        String last = "paused";
        for (int i = 0; i < MAX_STEPS && last.equals("paused"); i++) {
            clientLoop.execute(reader.conn::resume);
            last = steps.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(last).as("reader step %d", i).isNotNull();
        }
        assertThat(last).isEqualTo("ended");
        assertThat(reader.failure).isNull();
        assertThat(reader.received).isEqualTo(TOTAL);
        // pause() inside onData stops the read batch at once: a step reads less than STEP + one read.
        assertThat(reader.pauses).isGreaterThanOrEqualTo((int) (TOTAL / (STEP + EventLoop.READ_BUFFER_SIZE)));

        Writer w = writerDone.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(w.closeCause).isNull();
        assertThat(w.offset).isEqualTo(TOTAL);
        assertThat(w.pauses).as("times write() returned false").isPositive();
        assertThat(w.drains).as("onDrain calls").isPositive();
        assertThat(w.maxQueued).as("largest write queue").isGreaterThanOrEqualTo(HIGH).isLessThanOrEqualTo(HIGH + CHUNK);
        assertThat(w.peakQueued).as("Connection.peakQueuedBytes").isEqualTo(w.maxQueued);
        assertThat(reader.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("clean");
    }

    static byte byteAt(long k) {
        long z = k * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (byte) (z ^ (z >>> 31));
    }

    /** The server side: writes TOTAL bytes in chunks, honouring write()'s answer. Loop-confined. */
    private static final class Writer {
        private final Connection conn;
        private final CompletableFuture<Void> firstPause;
        private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        private long offset;
        private long maxQueued;
        private long peakQueued;
        private int pauses;
        private int drains;
        private Throwable closeCause;

        Writer(Connection conn, CompletableFuture<Void> firstPause, CompletableFuture<Writer> done) {
            this.conn = conn;
            this.firstPause = firstPause;
            conn.onDrain(() -> {
                drains++;
                pump();
            });
            conn.onClose(cause -> {
                closeCause = cause;
                peakQueued = conn.peakQueuedBytes();
                done.complete(this);
            });
        }

        void pump() {
            while (offset < TOTAL) {
                chunk.clear();
                for (int k = 0; k < CHUNK; k++) {
                    chunk.put(byteAt(offset + k));
                }
                offset += CHUNK;
                boolean more = conn.write(chunk.flip());
                maxQueued = Math.max(maxQueued, conn.queuedBytes());
                if (!more) {
                    pauses++;
                    firstPause.complete(null);
                    return;
                }
            }
            conn.end();
        }
    }

    /** The client side: reads at least STEP bytes per resume, checks them, pauses. Loop-confined. */
    private static final class Reader {
        private final Connection conn;
        private final BlockingQueue<String> steps;
        private final CompletableFuture<String> closed = new CompletableFuture<>();
        private volatile long received;
        private volatile String failure;
        private volatile int pauses;
        private long sinceResume;

        Reader(Connection conn, BlockingQueue<String> steps) {
            this.conn = conn;
            this.steps = steps;
            conn.pause();
            conn.onData(this::check);
            conn.onEnd(() -> steps.add("ended"));
            conn.onClose(cause -> closed.complete(cause == null ? "clean" : cause.toString()));
        }

        private void check(ByteBuffer buf) {
            long r = received;
            while (buf.hasRemaining()) {
                if (buf.get() != byteAt(r) && failure == null) {
                    failure = "wrong byte at offset " + r;
                }
                r++;
            }
            sinceResume += r - received;
            received = r;
            if (sinceResume >= STEP) {
                sinceResume = 0;
                pauses++;
                conn.pause();
                steps.add("paused");
            }
        }
    }
}
