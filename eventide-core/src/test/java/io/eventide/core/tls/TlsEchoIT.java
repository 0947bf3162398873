package io.eventide.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpClient;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.net.TcpServer;
import io.eventide.core.testing.TestCertificates;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Eventide's TLS client against Eventide's TLS server: data, backpressure, rejections, counters. */
class TlsEchoIT {
    static final TestCertificates CERTS = TestCertificates.get();
    LoopGroup group;

    @BeforeEach
    void setUp() {
        group = LoopGroup.create(2);
    }

    @AfterEach
    void tearDown() {
        group.close(Duration.ofSeconds(5)).join();
        assertThat(group.loops()).allSatisfy(l -> {
            assertThat(l.outstandingBuffers()).as("pooled buffers out on %s", l.name()).isZero();
            assertThat(l.abandonedChannels()).isZero();
        });
    }

    /** Echo with backpressure: pause reading while our writes are queued past the watermark. */
    static void echo(Connection c) {
        c.onData(buf -> {
            if (!c.write(buf)) {
                c.pause();
            }
        });
        c.onDrain(c::resume);
    }

    TcpServer server(ServerTls tls) {
        TcpServer s = TcpServer.create(group, TcpOptions.defaults(), tls, TlsEchoIT::echo);
        s.listen("127.0.0.1", 0).join();
        return s;
    }

    ClientTls client() {
        return ClientTls.defaults().trust(CERTS.trust());
    }

    @Test
    void sixteenMebibytesEchoIntactThroughTls13WithAlpn() {
        TcpServer server = server(ServerTls.of(CERTS.keys("server")).alpn("h2", "http/1.1"));
        long total = 16L << 20;
        CompletableFuture<String> result = new CompletableFuture<>();
        TcpClient.connect(group.next(), "localhost", server.port(), TcpOptions.defaults(), client().alpn("http/1.1"))
                .onSuccess(c -> new Streamer(c, total, result).start())
                .onFailure(result::completeExceptionally);
        assertThat(result.join()).isEqualTo("ok TLSv1.3 http/1.1");
        assertThat(server.tlsStats().handshakes()).isEqualTo(1);
    }

    @Test
    void tls12WorksWhenBothSidesAllowIt() {
        TcpServer server = server(ServerTls.of(CERTS.keys("server-rsa")).protocols("TLSv1.2"));
        Connection c = TcpClient.connect(group.next(), "127.0.0.1", server.port(), TcpOptions.defaults(), client())
                .join();
        assertThat(c.tls().protocol()).isEqualTo("TLSv1.2");
        assertThat(c.tls().peerCertificates()).hasSize(2);
        group.loop(0).execute(() -> { });
        c.loop().execute(c::close);
    }

    @Test
    void untrustedExpiredAndWrongHostCertificatesAreRejectedByTheClient() {
        for (String name : new String[] {"untrusted", "expired", "wronghost"}) {
            TcpServer server = server(ServerTls.of(CERTS.keys(name)));
            Promise<Connection> p = TcpClient.connect(group.next(), "localhost", server.port(), TcpOptions.defaults(),
                    client());
            assertThatThrownBy(p::join).as(name).isInstanceOf(TlsException.class).hasMessageContaining("handshake");
            server.close().join();
        }
    }

    @Test
    void aTlsClientWithoutTheRightTrustIsRefusedAndTheServerCountsIt() {
        TcpServer server = server(ServerTls.of(CERTS.keys("server")));
        Promise<Connection> p = TcpClient.connect(group.next(), "localhost", server.port(), TcpOptions.defaults(),
                ClientTls.defaults()); // the JDK's CAs: our test CA is not among them
        assertThatThrownBy(p::join).isInstanceOf(TlsException.class);
        // The server sees the client's alert as a failed handshake.
        CompletableFuture<Long> failures = new CompletableFuture<>();
        waitFor(() -> server.tlsStats().failures() == 1);
        failures.complete(server.tlsStats().failures());
        assertThat(failures.join()).isEqualTo(1);
        assertThat(server.tlsStats().handshakes()).isZero();
    }

    /** Waits on a condition the loops will make true: polls from the test thread, bounded. */
    static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 30 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Writes {@code total} patterned bytes with backpressure and checks the echo byte for byte. */
    static final class Streamer {
        private final Connection conn;
        private final long total;
        private final CompletableFuture<String> result;
        private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        private long sent;
        private long received;

        Streamer(Connection conn, long total, CompletableFuture<String> result) {
            this.conn = conn;
            this.total = total;
            this.result = result;
        }

        void start() {
            conn.onData(this::check);
            conn.onDrain(this::pump);
            conn.onClose(cause -> result.completeExceptionally(new AssertionError("closed at " + received, cause)));
            pump();
        }

        private void pump() {
            while (sent < total) {
                chunk.clear();
                int n = (int) Math.min(chunk.capacity(), total - sent);
                for (int i = 0; i < n; i++) {
                    chunk.put((byte) (sent + i));
                }
                sent += n;
                if (!conn.write(chunk.flip())) {
                    return;
                }
            }
        }

        private void check(ByteBuffer buf) {
            while (buf.hasRemaining()) {
                if (buf.get() != (byte) received++) {
                    result.completeExceptionally(new AssertionError("wrong byte at " + (received - 1)));
                    conn.destroy();
                    return;
                }
            }
            if (received == total) {
                TlsInfo info = conn.tls();
                result.complete("ok " + info.protocol() + " " + info.applicationProtocol());
                conn.close();
            }
        }
    }
}
