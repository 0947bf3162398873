package io.eventide.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's deadlines against a scripted raw socket that stays silent: connect, response
 * head, idle body, abandoned body and pooled keep-alive. Each fails or closes with a
 * {@link DeadlineExceededException} naming the setting; the tests wait for that outcome, never
 * for a length of time.
 */
class HttpClientTimeoutIT {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private LoopGroup group;
    private RawServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        group = LoopGroup.create(1);
        server = new RawServer();
        client = HttpClient.create(group.loop(0), ClientOptions.defaults());
    }

    @AfterEach
    void stop() throws IOException {
        client.close().join(Duration.ofSeconds(10));
        server.close();
        group.close(Duration.ofSeconds(5)).join();
    }

    private static String body(Promise<ClientResponse> response) {
        return response.flatMap(ClientResponse::bodyAsString).join(Duration.ofSeconds(30));
    }

    @Test
    void closesIdleConnectionsAfterTheKeepAliveTimeout() throws IOException {
        HttpClient shortLived = HttpClient.create(group.loop(0),
                ClientOptions.builder().keepAliveTimeout(Duration.ofMillis(50)).build());
        Promise<ClientResponse> get = shortLived.get(server.url("/"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send(OK);
            assertThat(body(get)).isEqualTo("ok");
            peer.awaitClientClose(); // the eviction itself
        }
        CompletableFuture<Integer> open = new CompletableFuture<>();
        group.loop(0).execute(() -> open.complete(shortLived.connections()));
        assertThat(open.join()).isZero();
        shortLived.close().join(Duration.ofSeconds(10));
    }

    @Test
    void failsWhenNoResponseHeadArrivesInTime() throws IOException {
        Promise<ClientResponse> get = client.request("GET", server.url("/slow"))
                .headTimeout(Duration.ofMillis(100)).send();
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            assertThatThrownBy(() -> get.join(Duration.ofSeconds(30)))
                    .isInstanceOf(DeadlineExceededException.class)
                    .hasMessage("no response head from 127.0.0.1:" + server.port() + " within 100 ms (head-timeout)");
            peer.awaitClientClose();
        }
    }

    @Test
    void failsTheBodyWhenTheServerStallsPastTheIdleTimeout() throws IOException {
        // The consumer is attached before the response can arrive, so the body flows at once and
        // only the server's silence can trip the timeout.
        Promise<String> text = client.request("GET", server.url("/stall"))
                .idleTimeout(Duration.ofMillis(100)).send().flatMap(ClientResponse::bodyAsString);
        try (RawServer.Peer peer = server.accept()) {
            peer.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
            assertThatThrownBy(() -> text.join(Duration.ofSeconds(30)))
                    .isInstanceOf(DeadlineExceededException.class)
                    .hasMessage("no data from 127.0.0.1:" + server.port() + " for 100 ms (idle-timeout)");
            peer.awaitClientClose();
        }
    }

    @Test
    void abandonsALargeBodyNobodyReadsAfterTheIdleTimeout() throws IOException {
        Promise<ClientResponse> get = client.request("GET", server.url("/big"))
                .idleTimeout(Duration.ofMillis(100)).send();
        try (RawServer.Peer peer = server.accept()) {
            // Sent before the request is even read: the client takes it in as soon as its request
            // is out, so the only silence the idle timeout can see is the body left unread.
            peer.send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(150_000));
            ClientResponse res = get.join(Duration.ofSeconds(30));
            peer.awaitClientClose();
            CompletableFuture<Throwable> error = new CompletableFuture<>();
            res.loop().execute(() -> res.body().onFailure(error::complete));
            assertThat(error.join()).isInstanceOf(DeadlineExceededException.class)
                    .hasMessage("response body from 127.0.0.1:" + server.port()
                            + " was not read for 100 ms (idle-timeout); consume or discard every body");
        }
    }

    @Test
    void failsWhenTheConnectTimesOut() throws IOException {
        try (BackloggedServer full = BackloggedServer.start()) {
            HttpClient impatient = HttpClient.create(group.loop(0),
                    ClientOptions.builder().connectTimeout(Duration.ofMillis(200)).build());
            assertThatThrownBy(() -> impatient.get("http://127.0.0.1:" + full.port() + "/").join(Duration.ofSeconds(30)))
                    .isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("timed out (connect-timeout)");
        }
    }
}
