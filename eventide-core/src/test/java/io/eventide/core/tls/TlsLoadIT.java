package io.eventide.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpClient;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.net.TcpServer;
import io.eventide.core.testing.TestCertificates;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS at volume: a gibibyte each way with a flat heap, files through the engine, 5,000 connections. */
class TlsLoadIT {
    static final TestCertificates CERTS = TestCertificates.get();
    final LoopGroup group = LoopGroup.create(2);

    @AfterEach
    void tearDown() {
        group.close(Duration.ofSeconds(10)).join();
        assertThat(group.loops()).allSatisfy(l -> assertThat(l.outstandingBuffers()).isZero());
    }

    ClientTls client() {
        return ClientTls.defaults().trust(CERTS.trust());
    }

    static long usedHeapAfterGc() {
        System.gc(); // blocking-ok: test thread, measuring retained heap
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    @Test
    void aGibibyteUpAndAGibibyteDownKeepTheHeapFlat() {
        long total = 1L << 30;
        AtomicLong serverReceived = new AtomicLong();
        TcpServer server = TcpServer.create(group, TcpOptions.defaults(), ServerTls.of(CERTS.keys("server")), c -> {
            long[] got = {0};
            c.onData(buf -> {
                got[0] += buf.remaining();
                buf.position(buf.limit());
                serverReceived.set(got[0]);
                if (got[0] == total) {
                    new Source(c, total).pump(); // then the same amount back
                }
            });
        });
        server.listen("127.0.0.1", 0).join();
        CompletableFuture<Long> downloaded = new CompletableFuture<>();
        List<Long> heap = new ArrayList<>();
        CompletableFuture<Void> quarter = new CompletableFuture<>();
        Connection c = TcpClient.connect(group.loop(1), "localhost", server.port(), TcpOptions.defaults(), client())
                .join();
        c.loop().execute(() -> {
            long[] got = {0};
            c.onData(buf -> {
                got[0] += buf.remaining();
                buf.position(buf.limit());
                if (got[0] >= total / 4) {
                    quarter.complete(null);
                }
                if (got[0] == total) {
                    downloaded.complete(got[0]);
                }
            });
            new Source(c, total).pump();
        });
        heap.add(usedHeapAfterGc());
        quarter.join(); // upload done, a quarter of the download in
        heap.add(usedHeapAfterGc());
        assertThat(downloaded.join()).isEqualTo(total);
        assertThat(serverReceived.get()).isEqualTo(total);
        heap.add(usedHeapAfterGc());
        // Flat: what stays reachable does not grow with the bytes moved (2 GiB through here).
        assertThat(heap.get(2) - heap.get(0)).as("heap growth over 2 GiB, bytes: %s", heap).isLessThan(32L << 20);
        CompletableFuture<Long> peak = new CompletableFuture<>();
        c.loop().execute(() -> peak.complete(c.peakQueuedBytes()));
        assertThat(peak.join()).isLessThan(TcpOptions.DEFAULT_HIGH_WATERMARK + 64 * 1024);
    }

    @Test
    void filesGoThroughTheEngineUnderTls(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("blob.bin");
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + (i >> 11));
        }
        Files.write(file, content);
        TcpServer server = TcpServer.create(group, TcpOptions.defaults(), ServerTls.of(CERTS.keys("server")), c -> {
            try {
                FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
                c.sendFile(fc, 0, content.length, err -> {
                    try {
                        fc.close();
                    } catch (IOException e) {
                        // read-only file: nothing lost
                    }
                    c.close();
                });
            } catch (IOException e) {
                c.destroy(e);
            }
        });
        server.listen("127.0.0.1", 0).join();
        CompletableFuture<byte[]> got = new CompletableFuture<>();
        TcpClient.connect(group.next(), "localhost", server.port(), TcpOptions.defaults(), client()).onSuccess(c -> {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            c.onData(buf -> {
                byte[] b = new byte[buf.remaining()];
                buf.get(b);
                out.writeBytes(b);
            });
            c.onEnd(() -> got.complete(out.toByteArray()));
        }).onFailure(got::completeExceptionally);
        assertThat(got.join()).isEqualTo(content);
    }

    @Test
    void fiveThousandConcurrentTlsConnections() {
        int n = 5_000;
        // Handshake timeouts far above the default: this test is about holding 5,000 connections, and
        // on a shared 2-core machine a wave of 500 handshakes (both sides in this JVM) can take longer
        // than 10 s to clear the worker queue.
        TcpServer server = TcpServer.create(group, TcpOptions.defaults(),
                ServerTls.of(CERTS.keys("server")).handshakeTimeout(Duration.ofSeconds(120)),
                c -> c.onData(buf -> c.write(buf)));
        server.listen("127.0.0.1", 0).join();
        ClientTls tls = client().handshakeTimeout(Duration.ofSeconds(120));
        List<Connection> open = new ArrayList<>();
        // Handshakes in waves of 500 (a client's own pacing); every connection stays open.
        for (int wave = 0; wave < n / 500; wave++) {
            List<Promise<Connection>> ps = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                EventLoop l = group.next();
                ps.add(TcpClient.connect(l, "localhost", server.port(), TcpOptions.defaults(), tls));
            }
            for (Promise<Connection> p : ps) {
                open.add(p.join(Duration.ofSeconds(60)));
            }
        }
        assertThat(server.connections()).isEqualTo(n);
        // Every one of them still works: one echo each, all at once.
        List<CompletableFuture<Void>> echoes = new ArrayList<>();
        for (Connection c : open) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            echoes.add(f);
            c.loop().execute(() -> {
                c.onData(buf -> {
                    buf.position(buf.limit());
                    f.complete(null);
                });
                c.write(ByteBuffer.wrap(new byte[] {42}));
            });
        }
        CompletableFuture.allOf(echoes.toArray(new CompletableFuture<?>[0])).join();
        // Counted only now: a TLS 1.3 client finishes its handshake one flight before the server does,
        // so the server's count may trail the clients' promises until data has crossed each connection.
        assertThat(server.tlsStats().handshakes()).isEqualTo(n);
        for (Connection c : open) {
            c.loop().execute(c::close);
        }
        TlsEchoIT.waitFor(() -> server.connections() == 0);
    }

    /** Writes {@code total} bytes with backpressure, then ends. Loop-confined. */
    static final class Source {
        private final Connection conn;
        private final ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        private long left;

        Source(Connection conn, long total) {
            this.conn = conn;
            this.left = total;
            conn.onDrain(this::pump);
        }

        void pump() {
            for (int batch = 0; batch < 64 && left > 0; batch++) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                left -= chunk.remaining();
                if (!conn.write(chunk)) {
                    return;
                }
            }
            if (left > 0 && !conn.isEnding()) {
                conn.loop().setImmediate(this::pump);
            }
        }
    }
}
