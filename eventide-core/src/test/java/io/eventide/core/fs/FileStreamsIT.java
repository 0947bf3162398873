package io.eventide.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.Promise;
import io.eventide.core.fs.FsException.Code;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.net.TcpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File streams with backpressure both ways, against real sockets: a file piped into a TCP
 * connection, a TCP connection's bytes piped into a file, byte ranges, and failures.
 */
class FileStreamsIT {
    private static final int SIZE = 8 * 1024 * 1024 + 12_345; // not a multiple of any chunk size
    @TempDir
    Path dir;
    private FsTesting t;
    private byte[] content;
    private Path file;

    @BeforeEach
    void start() throws Exception {
        t = new FsTesting("fs-streams");
        content = new byte[SIZE];
        new Random(42).nextBytes(content);
        file = dir.resolve("data.bin");
        Files.write(file, content);
    }

    @AfterEach
    void stop() throws Exception {
        t.close();
    }

    @Test
    void aFilePipedIntoASocketArrivesWholeAndTheFileIsClosed() throws Exception {
        CompletableFuture<Long> piped = new CompletableFuture<>();
        TcpServer server = TcpServer.create(t.group, TcpOptions.defaults(), conn ->
                t.fs.readStream(file).pipeTo(ByteSink.of(conn)).whenComplete((n, e) -> {
                    if (e != null) {
                        piped.completeExceptionally(e);
                    } else {
                        piped.complete(n);
                    }
                }));
        server.listen("127.0.0.1", 0).join();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setReceiveBufferSize(32 * 1024); // a small window: the server must wait for drains
            byte[] got = s.getInputStream().readAllBytes();
            assertThat(got.length).isEqualTo(SIZE);
            assertThat(Arrays.equals(got, content)).as("same bytes in the same order").isTrue();
        }
        assertThat(piped.get(30, TimeUnit.SECONDS)).isEqualTo((long) SIZE);
        server.close().join();
    }

    @Test
    void aSocketPipedIntoAFileIsPausedByTheFileAndStoredWhole() throws Exception {
        Path target = dir.resolve("upload.bin");
        long[] pauses = {0};
        // Half-open: after the client's FIN the server still answers with the byte count.
        TcpServer server = TcpServer.create(t.group, TcpOptions.defaults().allowHalfOpen(true), conn -> {
            FileWriteStream out = t.fs.writeStream(target);
            out.onDrain(conn::resume);
            conn.onData(buf -> {
                if (!out.write(buf)) {
                    pauses[0]++;
                    conn.pause();
                }
            });
            conn.onEnd(out::end);
            out.finished().onSuccess(n -> conn.write(ByteBuffer.wrap(("stored " + n).getBytes())))
                    .onSuccess(n -> conn.end());
        });
        server.listen("127.0.0.1", 0).join();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream os = s.getOutputStream();
            for (int off = 0; off < SIZE; off += 100_000) {
                os.write(content, off, Math.min(100_000, SIZE - off));
            }
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            assertThat(new String(in.readAllBytes())).isEqualTo("stored " + SIZE);
        }
        assertThat(MessageDigest.isEqual(sha(Files.readAllBytes(target)), sha(content))).isTrue();
        assertThat(t.onLoop(() -> Promise.resolved(t.loop, pauses[0]))).as("the file pushed back at least once")
                .isPositive();
        server.close().join();
    }

    @Test
    void aRangeIsReadExactlyAndPauseHoldsDeliveryUntilResume() {
        long start = 1_000_003;
        int length = 300_001;
        byte[] got = t.onLoop(() -> {
            Promise<byte[]> p = t.loop.promise();
            java.io.ByteArrayOutputStream acc = new java.io.ByteArrayOutputStream();
            FileReadStream rs = t.fs.readStream(file, start, length);
            int[] chunksWhilePaused = {0};
            boolean[] paused = {false};
            rs.onData(b -> {
                if (paused[0]) {
                    chunksWhilePaused[0]++;
                }
                byte[] c = new byte[b.remaining()];
                b.get(c);
                acc.writeBytes(c);
                if (acc.size() > 100_000 && !paused[0] && !rs.isPaused()) {
                    rs.pause();
                    paused[0] = true;
                    // Resume only from a later timer: no chunk may arrive in between.
                    t.loop.setTimeout(20, () -> {
                        paused[0] = false;
                        rs.resume();
                    });
                }
            });
            rs.onEnd(() -> p.resolve(chunksWhilePaused[0] == 0 ? acc.toByteArray() : null));
            rs.onError(p::reject);
            return p;
        });
        assertThat(got).as("no chunk delivered while paused").isNotNull();
        assertThat(got).isEqualTo(Arrays.copyOfRange(content, (int) start, (int) start + length));
    }

    @Test
    void aMissingFileFailsTheStreamAndThePipeWithEnoent() {
        Throwable e = t.onLoop(() -> {
            Promise<Throwable> p = t.loop.promise();
            t.fs.readStream(dir.resolve("missing")).onError(p::resolve).onData(b -> p.reject(new AssertionError("data")));
            return p;
        });
        assertThat(e).isInstanceOf(FsException.class);
        assertThat(((FsException) e).code()).isEqualTo(Code.ENOENT);

        boolean[] sinkDestroyed = {false};
        Throwable piped = t.onLoop(() -> t.fs.readStream(dir.resolve("missing")).pipeTo(new ByteSink() {
            @Override
            public boolean write(ByteBuffer src) {
                throw new AssertionError("no data expected");
            }

            @Override
            public void onDrain(Runnable handler) {
            }

            @Override
            public void onClose(java.util.function.Consumer<Throwable> handler) {
            }

            @Override
            public void end() {
                throw new AssertionError("a failed source must not end the sink");
            }

            @Override
            public void destroy() {
                sinkDestroyed[0] = true;
            }
        }).map(n -> (Throwable) null).recover(err -> err));
        assertThat(piped).isInstanceOf(FsException.class);
        assertThat(t.onLoop(() -> Promise.resolved(t.loop, sinkDestroyed[0]))).isTrue();
    }

    @Test
    void aWriteStreamPushesBackPastItsHighWatermarkAndDrainsBelowItsLow() throws Exception {
        Path target = dir.resolve("bp.bin");
        long[] queuedAtDrain = {-1};
        Long written = t.onLoop(() -> {
            FileWriteStream out = t.fs.writeStream(target);
            boolean accepted = out.write(ByteBuffer.wrap(content, 0, FileWriteStream.HIGH_WATERMARK + 1));
            if (accepted) {
                return Promise.failed(t.loop, new AssertionError("write past the high watermark returned true"));
            }
            out.onDrain(() -> {
                if (queuedAtDrain[0] >= 0) {
                    return; // the second write pushed back too; end() is already queued behind it
                }
                queuedAtDrain[0] = out.queuedBytes();
                out.write(ByteBuffer.wrap(content, FileWriteStream.HIGH_WATERMARK + 1,
                        SIZE - FileWriteStream.HIGH_WATERMARK - 1));
                out.end();
            });
            return out.finished();
        });
        assertThat(written).isEqualTo((long) SIZE);
        assertThat(queuedAtDrain[0]).isBetween(0L, (long) FileWriteStream.LOW_WATERMARK);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        // An empty stream still creates the file.
        Path empty = dir.resolve("empty.bin");
        assertThat(t.onLoop(() -> {
            FileWriteStream out = t.fs.writeStream(empty);
            out.end();
            return out.finished();
        })).isZero();
        assertThat(Files.size(empty)).isZero();
    }

    private static byte[] sha(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
