package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol 3.2 against a scripted server (the machine's PostgreSQL speaks 3.0 only): the client asks
 * for 3.2; a server that accepts it sends a 32-byte cancel key, which the CancelRequest must carry
 * whole; a server that answers NegotiateProtocolVersion gets 3.0 and its 4-byte key.
 */
class ProtocolNegotiationIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static LoopGroup group;

    @BeforeAll
    static void setUp() {
        group = LoopGroup.create(1);
    }

    @AfterAll
    static void tearDown() {
        group.close(Duration.ofSeconds(5)).join();
    }

    /** A server that answers one startup, then records the cancel request made on a second connection. */
    private static final class Scripted implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        final CompletableFuture<Integer> askedProtocol = new CompletableFuture<>();
        final CompletableFuture<byte[]> cancelPacket = new CompletableFuture<>();
        final byte[] key;
        final boolean negotiate;

        Scripted(byte[] key, boolean negotiate) throws IOException {
            this.key = key;
            this.negotiate = negotiate;
            Thread t = new Thread(this::serve, "scripted-pg");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            try (Socket s = socket.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                int len = in.readInt();
                askedProtocol.complete(in.readInt());
                in.readFully(new byte[len - 8]);
                if (negotiate) {
                    message(out, 'v', new byte[] {0, 3, 0, 0, 0, 0, 0, 0}); // newest: 3.0; no options refused
                }
                message(out, 'R', new byte[4]); // AuthenticationOk
                byte[] k = new byte[4 + key.length];
                k[3] = 42; // pid 42
                System.arraycopy(key, 0, k, 4, key.length);
                message(out, 'K', k);
                message(out, 'S', "server_version\u000018.1\u0000".getBytes(StandardCharsets.UTF_8));
                message(out, 'Z', new byte[] {'I'});
                out.flush();
                try (Socket c = socket.accept()) {
                    DataInputStream cin = new DataInputStream(c.getInputStream());
                    int clen = cin.readInt();
                    byte[] rest = new byte[clen - 4];
                    cin.readFully(rest);
                    cancelPacket.complete(rest);
                }
                in.read(); // wait for the client to go away
            } catch (IOException e) {
                askedProtocol.completeExceptionally(e);
                cancelPacket.completeExceptionally(e);
            }
        }

        private static void message(DataOutputStream out, char type, byte[] body) throws IOException {
            out.write(type);
            out.writeInt(body.length + 4);
            out.write(body);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void check(byte[] key, boolean negotiate, String expectedVersion) throws Exception {
        try (Scripted server = new Scripted(key, negotiate)) {
            PgClient pg = PgClient.create(group, PgOptions.defaults().port(server.socket.getLocalPort()).database("x"));
            try {
                PgSession s = pg.session().join(WAIT);
                assertThat(server.askedProtocol.get(10, TimeUnit.SECONDS)).isEqualTo(3 << 16 | 2);
                String version = s.protocolVersion();
                int pid = s.processId();
                String serverVersion = s.serverParameters().get("server_version");
                group.loop(0).execute(s::cancel);
                byte[] packet = server.cancelPacket.get(10, TimeUnit.SECONDS);
                assertThat(version).isEqualTo(expectedVersion);
                assertThat(pid).isEqualTo(42);
                assertThat(serverVersion).isEqualTo("18.1");
                assertThat(packet).hasSize(8 + key.length); // code, pid, then the whole key
                assertThat(java.util.Arrays.copyOfRange(packet, 0, 4)).containsExactly(0x04, (byte) 0xD2, 0x16, 0x2E);
                assertThat(java.util.Arrays.copyOfRange(packet, 8, packet.length)).containsExactly(key);
                s.release();
            } finally {
                pg.close().join(WAIT);
            }
        }
    }

    @Test
    void aServerThatAcceptsProtocol32GetsItsLongCancelKeyBack() throws Exception {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        check(key, false, "3.2");
    }

    @Test
    void aServerThatNegotiatesDownGets30() throws Exception {
        check(new byte[] {9, 8, 7, 6}, true, "3.0");
    }
}
