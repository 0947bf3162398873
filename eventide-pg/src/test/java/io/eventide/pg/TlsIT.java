package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import io.eventide.core.tls.ClientTls;
import io.eventide.core.tls.TlsTrust;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sslmode against a real PostgreSQL with TLS on: a private server (initdb in a temporary directory,
 * its own port, a certificate from a test CA made with openssl), started by pg_ctl and stopped by
 * the PID in its postmaster.pid. The machine's server (TLS off) checks the refusals; a scripted peer
 * checks the buffer-stuffing attack (CVE-2021-23222).
 */
class TlsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static LoopGroup group;
    static Path dir;
    static int port;
    static String bin;

    @BeforeAll
    static void setUp() throws Exception {
        PgTesting.ensureServer();
        group = LoopGroup.create(1);
        bin = "/usr/lib/postgresql/" + PgTesting.clusterVersion() + "/bin/";
        if (!Files.isExecutable(Path.of(bin + "initdb"))) {
            throw new IllegalStateException("TlsIT needs PostgreSQL's server binaries in " + bin + " (Debian postgresql)");
        }
        dir = Files.createTempDirectory("eventide-pg-tls");
        sh("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=eventide-test-ca -keyout ca.key -out ca.crt"
                + " && openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr"
                + " && printf 'subjectAltName=DNS:localhost\\n' > san.ext"
                + " && openssl x509 -req -days 2 -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial"
                + " -extfile san.ext -out server.crt && chmod 600 server.key");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String asPostgres = isRoot() ? "chown -R postgres " + dir + " && runuser -u postgres -- " : "";
        sh(asPostgres + bin + "initdb -D " + dir + "/data -A trust -U postgres --no-sync >" + dir + "/initdb.log 2>&1");
        String opts = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c ssl=on -c fsync=off"
                + " -c ssl_cert_file=" + dir + "/server.crt -c ssl_key_file=" + dir + "/server.key";
        sh((isRoot() ? "runuser -u postgres -- " : "") + bin + "pg_ctl -D " + dir + "/data -w -t 60 -l " + dir
                + "/server.log -o '" + opts + "' start");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (group != null) {
            group.close(Duration.ofSeconds(5)).join();
        }
        if (dir != null) {
            Path pidFile = dir.resolve("data/postmaster.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                ProcessHandle.of(pid).ifPresent(p -> {
                    sh("kill -INT " + pid); // fast shutdown: abort sessions, stop
                    p.onExit().orTimeout(60, TimeUnit.SECONDS).join();
                });
            }
            sh("rm -rf " + dir);
        }
    }

    private static PgOptions tlsServer(SslMode mode) {
        return PgOptions.defaults().host("localhost").port(port).database("postgres").user("postgres").maxSize(1)
                .sslMode(mode);
    }

    /** @return whether the session runs over TLS, as the server sees it */
    private static boolean sessionUsesTls(PgOptions options) {
        PgClient pg = PgClient.create(group, options);
        try {
            return pg.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").join(WAIT).first().getBoolean(0);
        } finally {
            pg.close().join(WAIT);
        }
    }

    private static PgException failure(PgOptions options) {
        PgClient pg = PgClient.create(group, options);
        try {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> pg.query("SELECT 1").join(WAIT));
            while (!(t instanceof PgException) && t != null && t.getCause() != null) {
                t = t.getCause();
            }
            assertThat(t).isInstanceOf(PgException.class);
            return (PgException) t;
        } finally {
            pg.close().join(WAIT);
        }
    }

    @Test
    void requireEncryptsWithoutCheckingTheCertificate() {
        assertThat(sessionUsesTls(tlsServer(SslMode.REQUIRE))).isTrue();
        assertThat(sessionUsesTls(tlsServer(SslMode.PREFER))).isTrue();
        assertThat(sessionUsesTls(tlsServer(SslMode.DISABLE))).isFalse();
    }

    @Test
    void verifyFullChecksTheChainAndTheHostName() {
        ClientTls testCa = ClientTls.defaults().trust(TlsTrust.pem(dir.resolve("ca.crt")));
        assertThat(sessionUsesTls(tlsServer(SslMode.VERIFY_FULL).tls(testCa))).isTrue();
        // The same CA through the connection string, as libpq spells it.
        assertThat(sessionUsesTls(PgOptions.fromUri("postgresql://postgres@localhost:" + port
                + "/postgres?sslmode=verify-full&sslrootcert=" + dir.resolve("ca.crt")).maxSize(1))).isTrue();

        PgException untrusted = failure(tlsServer(SslMode.VERIFY_FULL)); // the JDK's CAs do not know the test CA
        assertThat(untrusted.sqlState()).isEqualTo(PgException.UNABLE_TO_CONNECT);
        assertThat(untrusted.getMessage()).contains("TLS with localhost:" + port).contains("verify-full");

        // The certificate names localhost only: 127.0.0.1 fails verify-full but passes verify-ca.
        PgOptions byIp = tlsServer(SslMode.VERIFY_FULL).tls(testCa).host("127.0.0.1");
        assertThat(failure(byIp).sqlState()).isEqualTo(PgException.UNABLE_TO_CONNECT);
        assertThat(sessionUsesTls(byIp.sslMode(SslMode.VERIFY_CA))).isTrue();
    }

    @Test
    void aServerWithoutTlsIsRefusedWhenTlsIsRequiredAndUsedInPlaintextWhenPreferred() {
        PgOptions plain = PgTesting.options("postgres").maxSize(1);
        PgException refused = failure(plain.sslMode(SslMode.REQUIRE));
        assertThat(refused.sqlState()).isEqualTo(PgException.UNABLE_TO_CONNECT);
        assertThat(refused.getMessage()).contains("does not support SSL").contains("sslmode=require");
        assertThat(sessionUsesTls(plain.sslMode(SslMode.PREFER))).isFalse();
    }

    @Test
    void bytesAfterTheServersYesAreRefusedBeforeTheHandshake() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Throwable> peerErrors = new ArrayList<>();
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    new DataInputStream(s.getInputStream()).readFully(new byte[8]); // SSLRequest
                    OutputStream out = s.getOutputStream();
                    // 'S' and, in the same packet, a forged message that must not be taken for the session's.
                    out.write(new byte[] {'S', 'R', 0, 0, 0, 8, 0, 0, 0, 0});
                    out.flush();
                    s.getInputStream().read(); // until the client hangs up
                } catch (IOException e) {
                    peerErrors.add(e);
                }
            }, "stuffing-peer");
            peer.setDaemon(true);
            peer.start();
            PgException e = failure(PgOptions.defaults().host("127.0.0.1").port(server.getLocalPort())
                    .user("postgres").maxSize(1).sslMode(SslMode.REQUIRE));
            assertThat(e.sqlState()).isEqualTo(PgException.PROTOCOL_VIOLATION);
            assertThat(e.getMessage()).contains("CVE-2021-23222");
            peer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(peerErrors).isEmpty();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void sh(String command) {
        int rc = PgTesting.run(List.of("bash", "-c", "cd " + (dir != null ? dir : Path.of(".")) + " && " + command), 120);
        assertThat(rc).as("exit status of: " + command).isZero();
    }
}
