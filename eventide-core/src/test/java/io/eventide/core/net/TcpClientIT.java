package io.eventide.core.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TcpClient#connect}: every outcome settles the promise, and bad arguments throw at once. */
class TcpClientIT {
    private static final long WAIT_SECONDS = 30;

    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private LoopGroup group;
    private EventLoop loop;

    /** Buffers out before this test (a deliberate leak elsewhere in the JVM stays out for good). */
    private final long outstandingBefore = BufferPool.outstandingTotal();

    @BeforeEach
    void startGroup() {
        group = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("client-it")
                .onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        loop = group.loop(0);
    }

    @AfterEach
    void closeGroupAndCheckForLeaks() throws Exception {
        group.close(Duration.ofSeconds(5)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(BufferPool.outstandingTotal() - outstandingBefore).as("pooled buffers still out after close")
                .isZero();
        assertThat(uncaught).isEmpty();
    }

    private CompletableFuture<Connection> connectOnLoop(String host, int port) {
        CompletableFuture<Connection> f = new CompletableFuture<>();
        loop.execute(() -> TcpClient.connect(loop, host, port).onSuccess(f::complete).onFailure(f::completeExceptionally));
        return f;
    }

    @Test
    void aHostNameMadeOfHexLettersIsLookedUpNotTakenForAnAddress() {
        // "dead.beef" looks like hex digits and dots; it used to skip the lookup, reach connect()
        // unresolved, and leave the promise pending forever. It must settle: here it cannot resolve.
        assertThatThrownBy(() -> connectOnLoop("dead.beef", 9).get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(EventideException.class);
    }

    @Test
    void aGracefulCloseAsksClientConnectionsToFinishOnceNothingElseIsLeft() throws Exception {
        // A peer outside the group: nothing in the group would ever close this connection. Before,
        // the loop waited out the whole grace period and then forced it closed, so a database pool's
        // idle connections held every graceful stop for its full grace period.
        try (java.net.ServerSocket peer = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Boolean> asked = new CompletableFuture<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            Connection c = connectOnLoop("127.0.0.1", peer.getLocalPort()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            try (java.net.Socket accepted = peer.accept()) {
                loop.execute(() -> c.onShutdown(() -> {
                    asked.complete(true);
                    c.close();
                }).onClose(closed::complete));
                group.close(Duration.ofSeconds(WAIT_SECONDS * 2)).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(asked).isCompletedWithValue(true);
                assertThat(closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull(); // a clean close, not forced
                assertThat(accepted.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aPortOutOfRangeIsRefusedOnTheCallersThread() {
        assertThatThrownBy(() -> TcpClient.connect(loop, "127.0.0.1", 70_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> TcpClient.connect(loop, "127.0.0.1", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void literalsAndLocalhostConnect() throws Exception {
        TcpServer server = TcpServer.create(group, TcpOptions.defaults(), conn -> {
            conn.write(ByteBuffer.wrap("hi".getBytes(US_ASCII)));
            conn.end();
        }).listen("127.0.0.1", 0).join(Duration.ofSeconds(10));
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            CompletableFuture<String> got = new CompletableFuture<>();
            loop.execute(() -> TcpClient.connect(loop, host, server.port()).onSuccess(c -> {
                StringBuilder sb = new StringBuilder();
                c.onData(buf -> sb.append(US_ASCII.decode(buf)));
                c.onClose(cause -> got.complete(sb + (cause == null ? "" : " " + cause)));
            }).onFailure(got::completeExceptionally));
            assertThat(got.get(WAIT_SECONDS, TimeUnit.SECONDS)).as(host).isEqualTo("hi");
        }
        assertThat(server.accepted()).isEqualTo(2);
    }
}
