package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.BufferPool;
import io.eventide.core.fs.ByteSink;
import io.eventide.core.fs.FileSystem;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB file streamed to a client that reads at a quarter of a gigabyte per second, with the
 * heap measured (after a full GC, every 64 MiB received) instead of timed: the file goes through
 * the loop's pooled direct buffers with backpressure, so neither the heap nor the number of pooled
 * buffers grows with the file, and the connection's queue stays near its watermark.
 */
class FileStreamToSlowClientIT {
    private static final long SIZE = 1L << 30;
    private static final long MARK_EVERY = 64L << 20;
    private static final long CLIENT_BYTES_PER_SECOND = 256L << 20;
    @TempDir
    Path dir;

    @Test
    void aGigabyteGoesToASlowClientWithFlatHeap() throws Exception {
        Path file = sparseFileWithMarkers(dir.resolve("gigabyte.bin"));
        AtomicLong maxQueued = new AtomicLong();
        AtomicLong maxPooledOut = new AtomicLong();
        CompletableFuture<Long> served = new CompletableFuture<>();
        HttpServer server = TestServers.start(HttpOptions.defaults(), s -> s.get("/big", (req, res) -> {
            res.header("Content-Length", Long.toString(SIZE)).contentType("application/octet-stream");
            ByteSink sink = HttpStreams.sink(res);
            FileSystem.of(req.loop()).readStream(file).pipeTo(measuring(sink, res, maxQueued, maxPooledOut))
                    .whenComplete((n, e) -> {
                        if (e != null) {
                            served.completeExceptionally(e);
                        } else {
                            served.complete(n);
                        }
                    });
        }));
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        List<Long> heapSamples = new ArrayList<>();
        try (SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
            System.gc();
            long baseline = mem.getHeapMemoryUsage().getUsed();
            ch.write(ByteBuffer.wrap("GET /big HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            long[] stats = readSlowly(ch, got -> {
                System.gc();
                heapSamples.add(mem.getHeapMemoryUsage().getUsed() - baseline);
            });
            assertThat(stats[0]).as("body bytes").isEqualTo(SIZE);
            assertThat(stats[1]).as("markers found in order at their offsets").isEqualTo(SIZE / MARK_EVERY);
            assertThat(stats[2]).as("non-zero bytes: only the markers'").isEqualTo(stats[3]);
        } finally {
            TestServers.stop(server);
        }
        assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(SIZE);
        assertThat(heapSamples).hasSize((int) (SIZE / MARK_EVERY));
        assertThat(heapSamples).as("heap growth over the baseline, bytes, after a GC every 64 MiB")
                .allMatch(growth -> growth < 16L * 1024 * 1024);
        assertThat(maxPooledOut.get()).as("pooled buffers out at once (16 KiB each)").isLessThan(64);
        assertThat(maxQueued.get()).as("bytes queued on the connection at most")
                .isLessThan(4L * 1024 * 1024);
    }

    /** Wraps the response sink to record the queue depth and pooled buffers in use at each write. */
    private static ByteSink measuring(ByteSink sink, HttpResponse res, AtomicLong maxQueued, AtomicLong maxPooledOut) {
        return new ByteSink() {
            @Override
            public boolean write(ByteBuffer src) {
                boolean more = sink.write(src);
                maxQueued.accumulateAndGet(res.queuedBytes(), Math::max);
                maxPooledOut.accumulateAndGet(res.loop().buffers().outstanding(), Math::max);
                return more;
            }

            @Override
            public void onDrain(Runnable handler) {
                sink.onDrain(handler);
            }

            @Override
            public void onClose(Consumer<Throwable> handler) {
                sink.onClose(handler);
            }

            @Override
            public void end() {
                sink.end();
            }

            @Override
            public void destroy() {
                sink.destroy();
            }
        };
    }

    /** A sparse file (no disk used) with an 8-byte big-endian marker, its own offset, every 64 MiB. */
    private static Path sparseFileWithMarkers(Path f) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(SIZE);
            for (long off = 0; off < SIZE; off += MARK_EVERY) {
                raf.seek(off);
                raf.writeLong(off | 0x0101_0101_0101_0101L);
            }
        }
        return f;
    }

    /**
     * Reads the response at {@link #CLIENT_BYTES_PER_SECOND}, checking markers as they pass.
     *
     * @return body bytes, markers matched, non-zero bytes seen, non-zero bytes expected
     */
    private static long[] readSlowly(SocketChannel ch, Consumer<Long> every64MiB) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        StringBuilder head = new StringBuilder();
        long body = 0;
        long markers = 0;
        long nonZero = 0;
        long expectedNonZero = 0;
        for (long off = 0; off < SIZE; off += MARK_EVERY) {
            expectedNonZero += nonZeroBytes(off | 0x0101_0101_0101_0101L);
        }
        long start = System.nanoTime();
        long nextSample = MARK_EVERY;
        boolean inBody = false;
        long last8 = 0;
        while (body < SIZE) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                break;
            }
            buf.flip();
            if (!inBody) {
                while (buf.hasRemaining() && !inBody) {
                    head.append((char) buf.get());
                    inBody = head.toString().endsWith("\r\n\r\n");
                }
                assertThat(head.toString()).startsWith("HTTP/1.1 200");
                if (!inBody) {
                    continue;
                }
            }
            byte[] a = buf.array();
            for (int i = buf.position(); i < buf.limit(); i++, body++) {
                if (a[i] != 0) {
                    nonZero++;
                }
                last8 = (last8 << 8) | (a[i] & 0xff); // the last 8 body bytes, across reads
                if (body % MARK_EVERY == 7 && last8 == ((body - 7) | 0x0101_0101_0101_0101L)) {
                    markers++;
                }
            }
            if (body >= nextSample) {
                every64MiB.accept(body);
                nextSample += MARK_EVERY;
            }
            // The slow part: never get ahead of the client's byte rate.
            long due = start + body * 1_000_000_000L / CLIENT_BYTES_PER_SECOND;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the load, not synchronising
            }
        }
        return new long[] {body, markers, nonZero, expectedNonZero};
    }

    private static int nonZeroBytes(long v) {
        int n = 0;
        for (int k = 0; k < 8; k++) {
            if ((byte) (v >>> (8 * k)) != 0) {
                n++;
            }
        }
        return n;
    }
}
