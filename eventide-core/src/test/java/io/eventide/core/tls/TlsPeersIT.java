package io.eventide.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.net.TcpServer;
import io.eventide.core.testing.ManualClock;
import io.eventide.core.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eventide's TLS server against the JDK's own TLS client (SSLSocket), and against raw sockets. */
class TlsPeersIT {
    static final TestCertificates CERTS = TestCertificates.get();
    LoopGroup group = LoopGroup.create(1);
    final List<Connection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        group.close(Duration.ofSeconds(5)).join();
        assertThat(group.loop(0).outstandingBuffers()).isZero();
    }

    TcpServer server(ServerTls tls) {
        TcpServer s = TcpServer.create(group, TcpOptions.defaults(), tls, c -> {
            accepted.add(c);
            c.onData(buf -> c.write(buf));
        });
        s.listen("127.0.0.1", 0).join();
        return s;
    }

    /** A JDK client trusting the test CA, optionally presenting a client certificate. */
    static SSLContext jdkContext(String clientKeys) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", TlsTrustAccess.first(CERTS.caPem()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientKeys != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(CERTS.p12Path(clientKeys))) {
                ks.load(in, TestCertificates.PASSWORD.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, TestCertificates.PASSWORD.toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    static SSLSocket connect(SSLContext ctx, int port, String sni, String... protocols) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters p = s.getSSLParameters();
        if (sni != null) {
            p.setServerNames(List.of(new SNIHostName(sni)));
        }
        if (protocols.length > 0) {
            p.setProtocols(protocols);
        }
        s.setSSLParameters(p);
        s.setSoTimeout(30_000);
        s.startHandshake();
        return s;
    }

    static String subject(SSLSocket s) throws IOException {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    static String echo(SSLSocket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.UTF_8);
    }

    @Test
    void sniPicksTheCertificateByNameWithWildcardsAndADefault() throws Exception {
        TcpServer server = server(ServerTls.of(CERTS.keys("server")).sni("alpha.test", CERTS.keys("alpha"))
                .sni("*.beta.test", CERTS.keys("beta")));
        try (SSLSocket a = connect(jdkContext(null), server.port(), "alpha.test");
                SSLSocket b = connect(jdkContext(null), server.port(), "www.beta.test");
                SSLSocket d = connect(jdkContext(null), server.port(), "unknown.test")) {
            assertThat(subject(a)).isEqualTo("CN=alpha.test");
            assertThat(subject(b)).isEqualTo("CN=beta.test");
            assertThat(subject(d)).isEqualTo("CN=localhost");
            assertThat(echo(a, "hi")).isEqualTo("hi");
        }
        assertThat(accepted).extracting(c -> c.tls().serverName())
                .containsExactlyInAnyOrder("alpha.test", "www.beta.test", "unknown.test");
    }

    @Test
    void mutualTlsRequiresATrustedClientCertificate() throws Exception {
        TcpServer server = server(ServerTls.of(CERTS.keys("server"))
                .clientAuth(ServerTls.ClientAuth.REQUIRE, CERTS.trust()));
        try (SSLSocket s = connect(jdkContext("client"), server.port(), "localhost")) {
            assertThat(echo(s, "with cert")).isEqualTo("with cert");
        }
        assertThat(accepted).singleElement().satisfies(c -> assertThat(
                ((X509Certificate) c.tls().peerCertificates().get(0)).getSubjectX500Principal().getName())
                .isEqualTo("CN=test-client"));
        assertThatThrownBy(() -> {
            try (SSLSocket s = connect(jdkContext(null), server.port(), "localhost")) {
                echo(s, "without"); // TLS 1.3: the server's rejection arrives after the client's Finished
            }
        }).isInstanceOf(IOException.class);
        TlsEchoIT.waitFor(() -> server.tlsStats().failures() == 1);
        assertThat(accepted).hasSize(1);
    }

    @Test
    void reloadServesNewCertificatesToNewHandshakesWithoutARestart(@TempDir Path dir) throws Exception {
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        Files.copy(CERTS.chainPem("server"), chain);
        Files.copy(CERTS.keyPem("server"), key);
        ServerTls tls = ServerTls.pem(chain, key);
        TcpServer server = server(tls);
        SSLContext ctx = jdkContext(null);
        try (SSLSocket before = connect(ctx, server.port(), null)) {
            assertThat(subject(before)).isEqualTo("CN=localhost");
            // Renewed on disk, then reloaded: new handshakes get it, the open connection goes on.
            Files.copy(CERTS.chainPem("alpha"), chain, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(CERTS.keyPem("alpha"), key, StandardCopyOption.REPLACE_EXISTING);
            tls.reload();
            try (SSLSocket after = connect(ctx, server.port(), "alpha.test")) {
                assertThat(subject(after)).isEqualTo("CN=alpha.test");
            }
            assertThat(echo(before, "still here")).isEqualTo("still here");
        }
        // A broken file keeps the working certificate in force.
        Files.writeString(key, "not a key");
        assertThatThrownBy(tls::reload).isInstanceOf(TlsException.class).hasMessageContaining("PRIVATE KEY");
        try (SSLSocket again = connect(ctx, server.port(), "alpha.test")) {
            assertThat(subject(again)).isEqualTo("CN=alpha.test");
        }
    }

    @Test
    void tls12RenegotiationIsRefused() throws Exception {
        TcpServer server = server(ServerTls.of(CERTS.keys("server")));
        try (SSLSocket s = connect(jdkContext(null), server.port(), "localhost", "TLSv1.2")) {
            assertThat(echo(s, "first")).isEqualTo("first");
            s.startHandshake(); // asks for a new handshake: a renegotiation
            assertThatThrownBy(() -> echo(s, "second")).isInstanceOf(IOException.class);
        }
        TlsEchoIT.waitFor(() -> accepted.get(0).isClosed());
    }

    @Test
    void closeNotifyBothWays() throws Exception {
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        TcpServer server = TcpServer.create(group, TcpOptions.defaults(), ServerTls.of(CERTS.keys("server")), c -> {
            c.onData(buf -> {
                String s = StandardCharsets.UTF_8.decode(buf).toString();
                if (s.equals("bye")) {
                    c.close(); // sends close_notify, then closes
                }
            });
            c.onEnd(() -> serverSaw.complete("end"));
            c.onClose(cause -> serverSaw.complete("closed " + cause));
        });
        server.listen("127.0.0.1", 0).join();
        SSLContext ctx = jdkContext(null);
        try (SSLSocket s = connect(ctx, server.port(), "localhost")) {
            s.getOutputStream().write("bye".getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            // The server's close_notify is a clean end of stream for the JDK client, not a truncation.
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(serverSaw.join()).isEqualTo("closed null");

        CompletableFuture<String> second = new CompletableFuture<>();
        TcpServer server2 = TcpServer.create(group, TcpOptions.defaults(), ServerTls.of(CERTS.keys("server")), c -> {
            c.onEnd(() -> second.complete("peer ended"));
            c.onClose(cause -> second.complete("closed " + cause));
        });
        server2.listen("127.0.0.1", 0).join();
        try (SSLSocket s = connect(ctx, server2.port(), "localhost")) {
            s.shutdownOutput(); // the client's close_notify
            assertThat(second.join()).isEqualTo("peer ended");
            assertThat(s.getInputStream().read()).isEqualTo(-1); // and ours back
        }
    }

    @Test
    void plaintextSentToTheTlsPortIsClosedCleanlyAndCounted() throws Exception {
        TcpServer server = server(ServerTls.of(CERTS.keys("server")));
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        TlsEchoIT.waitFor(() -> server.tlsStats().plaintext() == 1);
        assertThat(server.tlsStats().failures()).isZero();
        assertThat(accepted).isEmpty();
    }

    @Test
    void slowHandshakesTimeOutAndCostANormalClientNothing() throws Exception {
        ManualClock clock = new ManualClock();
        group.close(Duration.ofSeconds(5)).join();
        group = LoopGroup.create(LoopOptions.builder().loops(1).clock(clock).build());
        TcpServer server = server(ServerTls.of(CERTS.keys("server")).handshakeTimeout(Duration.ofSeconds(10)));
        byte[] clientHelloStart = {22, 3, 1, 0, (byte) 200, 1}; // a record header promising 200 bytes, then silence
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write(clientHelloStart);
                slow.add(s);
            }
            // A normal client on the same loop is served while 200 handshakes hang half-sent.
            try (SSLSocket ok = connect(jdkContext(null), server.port(), "localhost")) {
                assertThat(echo(ok, "served")).isEqualTo("served");
            }
            clock.advance(group.loop(0), Duration.ofSeconds(10));
            for (Socket s : slow) {
                s.setSoTimeout(30_000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertThat(server.tlsStats().timeouts()).isEqualTo(200);
        assertThat(server.tlsStats().handshakes()).isEqualTo(1);
        assertThat(server.connections()).isZero();
    }

    /** Reads the first certificate of a PEM file for the JDK client's trust store. */
    static final class TlsTrustAccess {
        static X509Certificate first(Path pem) throws Exception {
            try (InputStream in = Files.newInputStream(pem)) {
                return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in);
            }
        }
    }
}
