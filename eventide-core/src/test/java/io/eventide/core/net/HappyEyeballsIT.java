package io.eventide.core.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.BufferPool;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.Promise;
import io.eventide.core.dns.DnsException;
import io.eventide.core.dns.Resolver;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Happy Eyeballs (RFC 8305) over loopback: ::1 and 127.0.0.1 stand for the two families of one
 * dual-stack name, served by listeners that answer with their family's name.
 */
class HappyEyeballsIT {
    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private LoopGroup servers;
    private LoopGroup clients;
    private EventLoop loop;

    /** Buffers out before this test (a deliberate leak elsewhere in the JVM stays out for good). */
    private final long outstandingBefore = BufferPool.outstandingTotal();

    @BeforeEach
    void start() {
        servers = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("he-server").build());
        clients = LoopGroup.create(LoopOptions.builder().loops(1).namePrefix("he-client")
                .onUncaught(uncaught::add).onUnhandledRejection(uncaught::add).build());
        loop = clients.loop(0);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
        clients.close(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
        servers.close(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
        assertThat(BufferPool.outstandingTotal() - outstandingBefore).as("pooled buffers still out after close")
                .isZero();
        assertThat(uncaught).isEmpty();
    }

    /** Answers AAAA and A from fixed lists, each after its own delay on the loop (null: fails NXDOMAIN). */
    private static Resolver fixed(List<String> six, long sixDelayMs, List<String> four, long fourDelayMs) {
        return new Resolver() {
            @Override
            public Promise<List<InetAddress>> resolve(EventLoop l, String host) {
                throw new AssertionError("Happy Eyeballs must ask per family");
            }

            @Override
            public Promise<List<InetAddress>> resolve(EventLoop l, String host, StandardProtocolFamily family) {
                boolean v6 = family == StandardProtocolFamily.INET6;
                List<String> ips = v6 ? six : four;
                Promise<List<InetAddress>> p = l.promise();
                l.setTimeout(Math.max(1, v6 ? sixDelayMs : fourDelayMs), () -> {
                    if (ips == null) {
                        p.reject(new DnsException(DnsException.Code.NXDOMAIN, host, "host not found: " + host, null));
                    } else {
                        p.resolve(ips.stream().map(HappyEyeballsIT::addr).toList());
                    }
                });
                return p;
            }
        };
    }

    private static InetAddress addr(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private int listen(String host, int port, String says) {
        TcpServer s = TcpServer.create(servers, TcpOptions.defaults(), conn -> {
            conn.write(ByteBuffer.wrap(says.getBytes(US_ASCII)));
            conn.end();
        });
        s.listen(host, port).join(Duration.ofSeconds(10));
        closeLater.add(() -> s.close().join(Duration.ofSeconds(10)));
        return s.port();
    }

    /** Connects on the loop and reads what the server says; returns it, or the failure's message. */
    private Object connectAndRead(Resolver r, int port) throws Exception {
        CompletableFuture<Object> got = new CompletableFuture<>();
        loop.execute(() -> TcpClient.connect(loop, "dual.test", port, TcpOptions.defaults(), r).whenComplete((c, e) -> {
            if (e != null) {
                got.complete(e);
                return;
            }
            StringBuilder sb = new StringBuilder();
            String family = c.remoteAddress().getAddress() instanceof Inet6Address ? "v6" : "v4";
            c.onData(buf -> sb.append(US_ASCII.decode(buf)));
            c.onClose(cause -> got.complete(sb + "@" + family));
        }));
        return got.get(30, TimeUnit.SECONDS);
    }

    @Test
    void addressesAlternateFamiliesIpv6First() {
        List<InetAddress> ordered = HappyEyeballs.order(List.of(addr("10.0.0.1"), addr("10.0.0.2"), addr("fd00::1"),
                addr("fd00::2"), addr("fd00::3")));
        assertThat(ordered).containsExactly(addr("fd00::1"), addr("10.0.0.1"), addr("fd00::2"), addr("10.0.0.2"),
                addr("fd00::3"));
    }

    @Test
    void ipv6IsTriedFirstAndWinsWhenItWorks() throws Exception {
        int port = listen("127.0.0.1", 0, "four");
        listen("::1", port, "six");
        assertThat(connectAndRead(fixed(List.of("::1"), 0, List.of("127.0.0.1"), 0), port)).isEqualTo("six@v6");
    }

    @Test
    void aRefusedIpv6FallsBackToIpv4AtOnce() throws Exception {
        int port = listen("127.0.0.1", 0, "four");
        assertThat(connectAndRead(fixed(List.of("::1"), 0, List.of("127.0.0.1"), 0), port)).isEqualTo("four@v4");
    }

    @Test
    void aBlackHoledIpv6LosesToIpv4AfterTheAttemptDelayAndIsClosed() throws Exception {
        // ::1:port with a full accept queue: the kernel drops further SYNs, so a connect there hangs.
        ServerSocketChannel hole = ServerSocketChannel.open(StandardProtocolFamily.INET6);
        closeLater.add(hole);
        hole.bind(new InetSocketAddress("::1", 0), 1);
        int port = hole.socket().getLocalPort();
        List<Socket> fillers = new ArrayList<>();
        boolean holeWorks = false;
        for (int i = 0; i < 8 && !holeWorks; i++) {
            Socket s = new Socket();
            fillers.add(s);
            try {
                s.connect(new InetSocketAddress("::1", port), 300);
            } catch (SocketTimeoutException full) {
                holeWorks = true;
            }
        }
        for (Socket s : fillers) {
            closeLater.add(s);
        }
        assertThat(holeWorks).as("a listener with a full backlog must drop SYNs on this kernel").isTrue();
        listen("127.0.0.1", port, "four");
        assertThat(connectAndRead(fixed(List.of("::1"), 0, List.of("127.0.0.1"), 0), port)).isEqualTo("four@v4");
        CompletableFuture<Integer> keys = new CompletableFuture<>();
        loop.execute(() -> loop.setTimeout(5, () -> keys.complete(loop.registeredChannels())));
        assertThat(keys.get(10, TimeUnit.SECONDS)).as("the losing IPv6 attempt was closed").isZero();
    }

    @Test
    void anAaaaAnswerWithinTheResolutionDelayIsStillTriedFirst() throws Exception {
        int port = listen("127.0.0.1", 0, "four");
        listen("::1", port, "six");
        // A at 1 ms, AAAA at 20 ms: inside the 50 ms Resolution Delay, so IPv6 goes first.
        assertThat(connectAndRead(fixed(List.of("::1"), 20, List.of("127.0.0.1"), 1), port)).isEqualTo("six@v6");
        // AAAA at 2 s: the delay runs out and IPv4 is used.
        assertThat(connectAndRead(fixed(List.of("::1"), 2000, List.of("127.0.0.1"), 1), port)).isEqualTo("four@v4");
    }

    @Test
    void everyAddressFailingNamesEachAndAnUnknownNameIsTheResolversError() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = probe.socket().getLocalPort();
        }
        Object e = connectAndRead(fixed(List.of(), 0, List.of("127.0.0.2", "127.0.0.3"), 0), port);
        assertThat(e).isInstanceOf(Throwable.class);
        assertThat(((Throwable) e).getMessage()).contains("127.0.0.2:" + port, "127.0.0.3:" + port, "every address");

        Object nx = connectAndRead(fixed(null, 0, null, 0), port);
        assertThat(nx).isInstanceOf(DnsException.class);
        assertThat(((DnsException) nx).code()).isEqualTo(DnsException.Code.NXDOMAIN);
    }
}
