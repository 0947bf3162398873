package io.eventide.core.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.BufferPool;
import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One connection's life: half-close, idle timeout, the per-loop cap, refused connects, throwing
 * callbacks, writes after end, sendFile, and the graceful close's shutdown request.
 */
class ConnectionLifecycleIT {
    private static final long WAIT_SECONDS = 30;

    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private int port;
    private LoopGroup serverGroup;
    private LoopGroup clientGroup;
    private EventLoop clientLoop;

    /** Buffers out before this test (a deliberate leak elsewhere in the JVM stays out for good). */
    private final long outstandingBefore = BufferPool.outstandingTotal();

    @BeforeEach
    void startGroups() {
        serverGroup = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("life-server").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        clientGroup = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("life-client").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        clientLoop = clientGroup.loop(0);
    }

    @AfterEach
    void closeGroupsAndCheckForLeaks() throws Exception {
        CompletableFuture.allOf(serverGroup.close(Duration.ofSeconds(5)), clientGroup.close(Duration.ofSeconds(5)))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(BufferPool.outstandingTotal() - outstandingBefore).as("pooled buffers still out after close")
                .isZero();
        assertThat(uncaught).isEmpty();
    }

    private TcpServer listen(TcpOptions options, Consumer<Connection> handler) {
        return TcpServer.create(serverGroup, options, handler).listen("127.0.0.1", 0).join(Duration.ofSeconds(10));
    }

    /** Connects from the client loop; {@code setup} runs on the loop before any byte can be read. */
    private CompletableFuture<Connection> connect(int port, Consumer<Connection> setup) {
        CompletableFuture<Connection> f = new CompletableFuture<>();
        // onSuccess/onFailure observe this promise itself; whenComplete would return a new one that,
        // rejected with nobody listening, the loop would report as an unhandled rejection.
        clientLoop.execute(() -> TcpClient.connect(clientLoop, "127.0.0.1", port).onSuccess(c -> {
            setup.accept(c);
            f.complete(c);
        }).onFailure(f::completeExceptionally));
        return f;
    }

    /** A client that collects what it reads and reports how it ended. Loop-confined but for the futures. */
    private static final class Collector {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();

        void attach(Connection c) {
            c.onData(buf -> {
                byte[] b = new byte[buf.remaining()];
                buf.get(b);
                bytes.writeBytes(b);
            });
            c.onEnd(() -> {
                events.add("end");
                ended.complete(bytes.toString(US_ASCII));
            });
            c.onClose(cause -> {
                events.add("close");
                closed.complete(cause);
            });
        }

        String text() {
            return bytes.toString(US_ASCII);
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(US_ASCII));
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void afterTheClientsEndTheServerCanStillReplyThenEnd() throws Exception {
        CompletableFuture<Throwable> serverClosed = new CompletableFuture<>();
        List<String> serverEvents = new CopyOnWriteArrayList<>();
        port = listen(TcpOptions.defaults().allowHalfOpen(true), conn -> {
            StringBuilder request = new StringBuilder();
            conn.onData(buf -> request.append(US_ASCII.decode(buf)));
            conn.onEnd(() -> {
                serverEvents.add("end readEnded=" + conn.isReadEnded() + " ending=" + conn.isEnding());
                conn.write(ascii("got: " + request));
                conn.end();
            });
            conn.onClose(serverClosed::complete);
        }).port();
        Collector client = new Collector();
        connect(port, c -> {
            client.attach(c);
            c.write(ascii("hello"));
            c.end();
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(client.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
        assertThat(client.text()).isEqualTo("got: hello");
        assertThat(client.events).containsExactly("end", "close");
        assertThat(serverClosed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
        assertThat(serverEvents).containsExactly("end readEnded=true ending=false");
    }

    @Test
    void withoutHalfOpenTheServerEndsByItselfAfterItsReply() throws Exception {
        CompletableFuture<Throwable> serverClosed = new CompletableFuture<>();
        AtomicInteger endCalls = new AtomicInteger();
        port = listen(TcpOptions.defaults(), conn -> {
            conn.onEnd(() -> conn.write(ascii("bye"))); // and no end(): allowHalfOpen=false does it
            conn.onClose(serverClosed::complete);
        }).port();
        Collector client = new Collector();
        connect(port, c -> {
            client.attach(c);
            c.write(ascii("x"));
            c.end();
            assertThatThrownBy(() -> c.write(ascii("late"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("write after end");
            endCalls.incrementAndGet();
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(endCalls).hasValue(1);
        assertThat(client.ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("read before the server's FIN").isEqualTo("bye");
        assertThat(client.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
        assertThat(serverClosed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void anIdleConnectionIsClosedWithDeadlineExceeded() throws Exception {
        CompletableFuture<Throwable> serverClosed = new CompletableFuture<>();
        CompletableFuture<Throwable> serverError = new CompletableFuture<>();
        port = listen(TcpOptions.defaults().idleTimeout(Duration.ofMillis(50)), conn -> {
            conn.onError(serverError::complete);
            conn.onClose(serverClosed::complete);
        }).port();
        Collector client = new Collector();
        connect(port, client::attach).get(WAIT_SECONDS, TimeUnit.SECONDS); // and then says nothing

        Throwable cause = serverClosed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(DeadlineExceededException.class).hasMessageContaining("idle-timeout");
        assertThat(serverError.getNow(null)).isSameAs(cause);
        assertThat(client.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("client side closes cleanly on FIN").isNull();
    }

    @Test
    void trafficKeepsAConnectionFromTimingOut() throws Exception {
        CompletableFuture<Throwable> serverClosed = new CompletableFuture<>();
        port = listen(TcpOptions.defaults().idleTimeout(Duration.ofSeconds(1)), conn -> {
            conn.onData(conn::write);
            conn.onClose(serverClosed::complete);
        }).port();
        // Ping-pong 150 times, each ping sent 10 ms after the last pong (timers on the client loop):
        // over 1.5 s of life, never 1 s quiet. The server's idle timer re-arms from the last activity.
        CompletableFuture<Integer> pongs = new CompletableFuture<>();
        connect(port, c -> {
            int[] n = {0};
            c.onData(buf -> {
                buf.position(buf.limit());
                if (++n[0] == 150) {
                    pongs.complete(n[0]);
                    c.close();
                } else {
                    clientLoop.setTimeout(10, () -> c.write(ascii("p")));
                }
            });
            c.onClose(cause -> pongs.completeExceptionally(new AssertionError("closed after " + n[0] + " pongs", cause)));
            c.write(ascii("p"));
        });
        assertThat(pongs.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(150);
        assertThat(serverClosed.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("closed by the client, not the timer").isNull();
    }

    @Test
    void thePerLoopCapClosesTheThirdConnection() throws Exception {
        Semaphore opened = new Semaphore(0);
        TcpServer server = listen(TcpOptions.defaults().maxConnectionsPerLoop(2), conn -> {
            conn.onData(conn::write);
            opened.release();
        });
        List<Collector> clients = new ArrayList<>();
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Collector col = new Collector();
            clients.add(col);
            conns.add(connect(server.port(), col::attach).get(WAIT_SECONDS, TimeUnit.SECONDS));
            if (i < 2) {
                assertThat(opened.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("server opened client %d", i).isTrue();
            }
        }
        assertThat(clients.get(2).closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("third client closed by the server").isNull();
        assertThat(server.rejected()).isEqualTo(1);
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(server.connections()).isEqualTo(2);
        assertThat(opened.availablePermits()).isZero();
        // The two admitted ones still work.
        for (int i = 0; i < 2; i++) {
            Connection c = conns.get(i);
            Collector col = clients.get(i);
            CompletableFuture<String> echoed = new CompletableFuture<>();
            clientLoop.execute(() -> {
                c.onData(buf -> {
                    byte[] b = new byte[buf.remaining()];
                    buf.get(b);
                    col.bytes.writeBytes(b);
                    echoed.complete(col.text());
                    c.close();
                });
                c.write(ascii("k"));
            });
            assertThat(echoed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("k");
            assertThat(col.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void aRefusedConnectRejectsThePromise() throws Exception {
        int closedPort;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            closedPort = probe.socket().getLocalPort();
        } // closed: nothing listens there now
        // Listened to on the loop: a join() from this thread may attach only after the rejection,
        // which the loop would then already have reported as unhandled.
        assertThatThrownBy(() -> connect(closedPort, c -> { }).get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(EventideException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasCauseInstanceOf(ConnectException.class);
        // A cancelled key leaves the selector at the next select; a timer fires after one.
        CompletableFuture<Integer> registered = new CompletableFuture<>();
        clientLoop.execute(() -> clientLoop.setTimeout(1, () -> registered.complete(clientLoop.registeredChannels())));
        assertThat(registered.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the failed socket is released").isZero();
    }

    @Test
    void aThrowingCallbackClosesOnlyItsConnection() throws Exception {
        RuntimeException boom = new IllegalArgumentException("boom");
        Map<String, Throwable> serverCauses = new ConcurrentHashMap<>();
        Semaphore serverClosed = new Semaphore(0);
        port = listen(TcpOptions.defaults(), conn -> {
            conn.onData(buf -> {
                String s = US_ASCII.decode(buf.duplicate()).toString();
                if (s.startsWith("boom")) {
                    throw boom;
                }
                conn.write(buf);
            });
            conn.onClose(cause -> {
                if (cause != null) {
                    serverCauses.put(conn.toString(), cause);
                }
                serverClosed.release();
            });
        }).port();

        Collector good = new Collector();
        Connection goodConn = connect(port, good::attach).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(echo(goodConn, good, "ping1")).isEqualTo("ping1");

        Collector bad = new Collector();
        connect(port, c -> {
            bad.attach(c);
            c.write(ascii("boom!"));
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(bad.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull(); // the server closed it: FIN
        assertThat(serverClosed.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(serverCauses.values()).containsExactly(boom);
        assertThat(uncaught).singleElement().satisfies(t -> assertThat(t).isInstanceOf(EventideException.class)
                .hasMessageContaining("threw").hasCause(boom));
        uncaught.clear();

        // The loop goes on serving: the old connection and a new one.
        assertThat(echo(goodConn, good, "ping2")).isEqualTo("ping1ping2");
        Collector late = new Collector();
        Connection lateConn = connect(port, late::attach).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(echo(lateConn, late, "ping3")).isEqualTo("ping3");
        clientLoop.execute(goodConn::close);
        clientLoop.execute(lateConn::close);
        assertThat(good.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
        assertThat(late.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    }

    /** Writes {@code s} and waits until the collector has read that many more bytes. */
    private String echo(Connection c, Collector col, String s) throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        clientLoop.execute(() -> {
            int want = col.bytes.size() + s.length();
            c.onData(buf -> {
                byte[] b = new byte[buf.remaining()];
                buf.get(b);
                col.bytes.writeBytes(b);
                if (col.bytes.size() >= want) {
                    f.complete(col.text());
                }
            });
            c.write(ascii(s));
        });
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void writesAfterEndOrCloseAndOffTheLoopAreRefused() throws Exception {
        port = listen(TcpOptions.defaults(), conn -> { }).port();
        Collector col = new Collector();
        Connection c = connect(port, col::attach).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThatThrownBy(() -> c.write(ascii("from the test thread"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("confined");
        CompletableFuture<List<String>> refusals = new CompletableFuture<>();
        clientLoop.execute(() -> {
            List<String> r = new ArrayList<>();
            c.end();
            r.add(refusal(() -> c.write(ascii("a"))));
            r.add(refusal(() -> c.writeShared(ascii("b"))));
            c.close();
            r.add(refusal(() -> c.write(ascii("c"))));
            refusals.complete(r);
        });
        assertThat(refusals.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .containsExactly("write after end", "write after end", "write after close");
        assertThat(col.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    }

    private static String refusal(Runnable r) {
        try {
            r.run();
            return "accepted";
        } catch (IllegalStateException e) {
            return e.getMessage().substring(0, e.getMessage().indexOf(" on "));
        }
    }

    @Test
    void sendFileSendsTheFilesBytesExactlyBetweenWrites(@TempDir Path dir) throws Exception {
        // Bigger than the loopback socket buffers, so transferTo goes out in several partial steps
        // while the client is paused.
        byte[] content = new byte[8 * 1024 * 1024 + 12_345];
        new SplittableRandom(7).nextBytes(content);
        Path file = Files.write(dir.resolve("payload.bin"), content);
        int regionStart = 1000;
        int regionLength = 70_000;

        List<Throwable> sent = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> queued = new CompletableFuture<>();
        CompletableFuture<Long> queuedAtEnd = new CompletableFuture<>();
        port = listen(TcpOptions.defaults(), conn -> {
            FileChannel fc;
            try {
                fc = FileChannel.open(file, StandardOpenOption.READ);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            conn.write(ascii("HEAD\n"));
            conn.sendFile(fc, 0, content.length, sent::add);
            conn.write(ascii("\nMID\n"));
            conn.sendFile(fc, regionStart, regionLength, err -> {
                sent.add(err);
                queuedAtEnd.complete(conn.queuedBytes());
                try {
                    fc.close();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            conn.write(ascii("\nTAIL\n"));
            conn.end();
            queued.complete(null);
        }).port();

        Collector col = new Collector();
        Connection c = connect(port, conn -> {
            col.attach(conn);
            conn.pause();
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        queued.get(WAIT_SECONDS, TimeUnit.SECONDS);
        clientLoop.execute(c::resume);

        assertThat(col.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("HEAD\n".getBytes(US_ASCII));
        expected.writeBytes(content);
        expected.writeBytes("\nMID\n".getBytes(US_ASCII));
        expected.write(content, regionStart, regionLength);
        expected.writeBytes("\nTAIL\n".getBytes(US_ASCII));
        byte[] got = col.bytes.toByteArray();
        assertThat(got.length).isEqualTo(expected.size());
        assertThat(got).isEqualTo(expected.toByteArray());
        assertThat(sent).containsExactly(null, null);
        assertThat(queuedAtEnd.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("queued bytes once all was sent").isLessThanOrEqualTo(6);
    }

    @Test
    void sendFilePastTheEndOfTheFileFailsTheConnection(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("short.bin"), new byte[1000]);
        CompletableFuture<Throwable> onSent = new CompletableFuture<>();
        CompletableFuture<Throwable> serverClosed = new CompletableFuture<>();
        port = listen(TcpOptions.defaults(), conn -> {
            try {
                FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
                conn.onClose(serverClosed::complete);
                conn.sendFile(fc, 0, 5000, err -> {
                    onSent.complete(err);
                    try {
                        fc.close();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).port();
        Collector col = new Collector();
        connect(port, col::attach).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(onSent.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(EOFException.class);
        assertThat(serverClosed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(EOFException.class);
        col.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(col.bytes.size()).isEqualTo(1000);
    }

    @Test
    void aGracefulCloseAsksEachConnectionOnceEvenWithOneListenerPerLoop() throws Exception {
        serverGroup.close(Duration.ofSeconds(5)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        serverGroup = LoopGroup.create(LoopOptions.builder().loops(2).namePrefix("life-server2").onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        Map<Long, AtomicInteger> asked = new ConcurrentHashMap<>();
        Semaphore opened = new Semaphore(0);
        TcpServer server = listen(TcpOptions.defaults().reusePort(true), conn -> {
            AtomicInteger n = asked.computeIfAbsent(conn.id(), id -> new AtomicInteger());
            conn.onShutdown(() -> {
                n.incrementAndGet();
                conn.write(ascii("going away"));
                conn.end();
            });
            opened.release();
        });
        int clients = 8;
        List<Collector> cols = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Collector col = new Collector();
            cols.add(col);
            connect(server.port(), col::attach).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(opened.tryAcquire(clients, WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        serverGroup.close(Duration.ofSeconds(10)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(asked).hasSize(clients).allSatisfy((id, n) -> assertThat(n.get()).as("conn %d asked", id).isEqualTo(1));
        for (Collector col : cols) {
            assertThat(col.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
            assertThat(col.text()).isEqualTo("going away");
        }
        assertThat(server.connections()).isZero();
    }
}
