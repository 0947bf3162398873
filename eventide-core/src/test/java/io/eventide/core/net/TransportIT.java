package io.eventide.core.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a transport must get right beneath the handlers, on both transports side by side whatever
 * {@code eventide.core.transport} says (the rest of the suite runs once per transport). The epoll
 * transport is edge-triggered inside; these are the cases where an edge is easy to lose.
 */
class TransportIT {
    private static final long WAIT_SECONDS = 30;

    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private final List<LoopGroup> groups = new ArrayList<>();
    private final long outstandingBefore = BufferPool.outstandingTotal();

    private LoopGroup group(Transport t, String name, Duration blockedThreshold) {
        LoopGroup g = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix(name).transport(t)
                .blockedThreshold(blockedThreshold).onUncaught(uncaught::add).onUnhandledRejection(uncaught::add)
                .build());
        groups.add(g);
        return g;
    }

    @AfterEach
    void closeGroupsAndCheckForLeaks() throws Exception {
        for (LoopGroup g : groups) {
            g.close(Duration.ofSeconds(5)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(g.loop(0).abandonedChannels()).as("sockets left for the loop to close bluntly").isZero();
        }
        assertThat(BufferPool.outstandingTotal() - outstandingBefore).as("pooled buffers still out after close")
                .isZero();
        assertThat(uncaught).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theLoopRunsTheTransportItWasGiven(Transport t) throws Exception {
        LoopGroup g = group(t, "transport-" + t, Duration.ofMillis(100));
        assertThat(g.options().transport()).isEqualTo(t);
        assertThat(g.loop(0).transport()).isEqualTo(t);
        assertThat(Transport.parse(t.name().toLowerCase(java.util.Locale.ROOT))).isEqualTo(t);
        assertThat(t.unavailableReason()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anEndOfStreamThatCameWithTheDataIsSeen(Transport t) throws Exception {
        // The client's loop is held (a generous watchdog threshold: holding it is the point) until
        // the peer has written four bytes and its FIN, so one readiness event carries both. A short
        // read must not be taken for "drained" then: no later edge would announce the FIN, and the
        // connection would hang half-closed for good. Before the fix this hung on epoll.
        LoopGroup clients = group(t, "fin-client-" + t, Duration.ofSeconds(60));
        EventLoop loop = clients.loop(0);
        try (ServerSocket peer = peer()) {
            CountDownLatch peerDone = new CountDownLatch(1);
            CompletableFuture<String> got = new CompletableFuture<>();
            loop.execute(() -> {
                connect(loop, peer, got, c -> {
                    StringBuilder sb = new StringBuilder();
                    c.onData(b -> sb.append(US_ASCII.decode(b)));
                    c.onEnd(() -> sb.append("|end"));
                    c.onClose(cause -> got.complete(sb.toString()));
                });
                // Queued after the connect's own task, so the SYN is out before the loop is held.
                loop.execute(() -> awaitUninterruptibly(peerDone)); // blocking-ok: the test holds the loop on purpose
            });
            try (Socket s = peer.accept()) {
                OutputStream out = s.getOutputStream();
                out.write("four".getBytes(US_ASCII));
                out.flush();
                s.shutdownOutput();
                peerDone.countDown();
                assertThat(got.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("four|end");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void bytesThatArrivedWhilePausedAreReadOnResume(Transport t) throws Exception {
        // Paused, the socket's edge passes unread; resuming must read what is there without a new
        // edge (epoll would never raise one: nothing more arrives). The loop is held until the
        // peer has written (a generous watchdog threshold: holding it is the point); two
        // immediates later (an immediate queued by an immediate runs after the next poll) the
        // poll has seen the bytes arrive while paused, and the connection is resumed.
        LoopGroup clients = group(t, "pause-client-" + t, Duration.ofSeconds(60));
        EventLoop loop = clients.loop(0);
        try (ServerSocket peer = peer()) {
            CompletableFuture<Connection> connected = new CompletableFuture<>();
            CompletableFuture<String> got = new CompletableFuture<>();
            connectOnLoop(loop, peer, connected, c -> {
                c.pause();
                c.onData(b -> got.complete(US_ASCII.decode(b).toString()));
                connected.complete(c);
            });
            try (Socket s = peer.accept()) {
                Connection c = connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
                CountDownLatch written = new CountDownLatch(1);
                CompletableFuture<Boolean> readWhilePaused = new CompletableFuture<>();
                loop.execute(() -> {
                    awaitUninterruptibly(written); // blocking-ok: the test holds the loop on purpose
                    loop.setImmediate(() -> loop.setImmediate(() -> {
                        readWhilePaused.complete(got.isDone());
                        c.resume();
                    }));
                });
                s.getOutputStream().write("late".getBytes(US_ASCII));
                s.getOutputStream().flush();
                written.countDown();
                assertThat(readWhilePaused.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("read while paused").isFalse();
                assertThat(got.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("late");
                loop.execute(c::close);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWriteLargerThanTheSocketBufferArrivesWholeThroughAPeerThatReadsSlowly(Transport t) throws Exception {
        // 8 MiB into a socket whose peer reads late: the write stops at EAGAIN and must resume on
        // the writable edge, byte for byte.
        LoopGroup clients = group(t, "big-client-" + t, Duration.ofMillis(100));
        EventLoop loop = clients.loop(0);
        byte[] payload = new byte[8 << 20];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + (i >>> 13));
        }
        try (ServerSocket peer = peer()) {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            connectOnLoop(loop, peer, drained, c -> {
                c.onClose(cause -> drained.complete(null));
                c.write(ByteBuffer.wrap(payload));
                c.end();
            });
            try (Socket s = peer.accept(); InputStream in = s.getInputStream()) {
                byte[] back = in.readAllBytes();
                assertThat(back).hasSize(payload.length);
                assertThat(back).isEqualTo(payload);
            }
            drained.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFileRegionArrivesByteForByte(Transport t, @TempDir Path dir) throws Exception {
        // sendfile(2) on epoll (the suite opens FileChannel's descriptor to it), transferTo on NIO;
        // a region that starts inside the file and is larger than a socket buffer.
        LoopGroup clients = group(t, "file-client-" + t, Duration.ofMillis(100));
        EventLoop loop = clients.loop(0);
        byte[] content = new byte[3 << 20];
        new java.util.Random(42).nextBytes(content);
        Path file = Files.write(dir.resolve("region.bin"), content);
        int from = 1000;
        try (ServerSocket peer = peer(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            CompletableFuture<Throwable> sent = new CompletableFuture<>();
            connectOnLoop(loop, peer, sent, c -> {
                c.sendFile(ch, from, content.length - from, sent::complete);
                c.end();
            });
            try (Socket s = peer.accept(); InputStream in = s.getInputStream()) {
                byte[] back = in.readAllBytes();
                assertThat(back).isEqualTo(java.util.Arrays.copyOfRange(content, from, content.length));
            }
            assertThat(sent.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("sendFile's completion").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServerOnTheIpv4WildcardAnswersIpv6ClientsToo(Transport t) throws Exception {
        // The JDK binds 0.0.0.0 as a dual-stack [::]; the epoll transport bound an IPv4-only
        // socket, so a client whose "localhost" is ::1 was refused (found in review).
        LoopGroup servers = group(t, "wild-" + t, Duration.ofMillis(100));
        TcpServer server = TcpServer.create(servers, TcpOptions.defaults(), c -> {
            c.write(ByteBuffer.wrap("hi".getBytes(US_ASCII)));
            c.end();
        });
        server.listen("0.0.0.0", 0).join(Duration.ofSeconds(10));
        try {
            for (String client : new String[] {"127.0.0.1", "::1"}) {
                try (Socket s = new Socket(client, server.port())) {
                    assertThat(new String(s.getInputStream().readAllBytes(), US_ASCII)).as(client).isEqualTo("hi");
                }
            }
        } finally {
            server.close().join(Duration.ofSeconds(10));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRefusedConnectFailsWithTheJdksMessage(Transport t) throws Exception {
        LoopGroup clients = group(t, "refused-" + t, Duration.ofMillis(100));
        EventLoop loop = clients.loop(0);
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        CompletableFuture<Connection> f = new CompletableFuture<>();
        loop.execute(() -> TcpClient.connect(loop, "127.0.0.1", port).onSuccess(f::complete)
                .onFailure(f::completeExceptionally));
        assertThatThrownBy(() -> f.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasMessageContaining("Connection refused");
        CompletableFuture<Integer> left = new CompletableFuture<>();
        loop.execute(() -> left.complete(loop.registeredChannels()));
        assertThat(left.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the failed socket is closed").isZero();
    }

    /** A blocking peer on 127.0.0.1, any port. */
    private static ServerSocket peer() throws java.io.IOException {
        return new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    }

    /** Connects from {@code loop} to {@code peer} and runs {@code then} there; a failure fails {@code result}. */
    private static void connectOnLoop(EventLoop loop, ServerSocket peer, CompletableFuture<?> result,
            java.util.function.Consumer<Connection> then) {
        loop.execute(() -> connect(loop, peer, result, then));
    }

    /** {@link #connectOnLoop}, called on the loop: the connect's own task is queued at once. */
    private static void connect(EventLoop loop, ServerSocket peer, CompletableFuture<?> result,
            java.util.function.Consumer<Connection> then) {
        TcpClient.connect(loop, "127.0.0.1", peer.getLocalPort()).whenComplete((c, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                then.accept(c);
            }
        });
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the peer never wrote");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
