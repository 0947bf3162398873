package io.eventide.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.EventideException;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted raw socket: exact request bytes, framing edge cases, malformed
 * responses, stale keep-alive connections, timeouts and resets.
 */
class HttpClientRawServerIT {
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

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static String body(Promise<ClientResponse> response) {
        return response.flatMap(ClientResponse::bodyAsString).join(Duration.ofSeconds(30));
    }

    @Test
    void writesAWellFormedRequestHead() throws IOException {
        Promise<ClientResponse> get = client.request("GET", server.url("/a/b?q=1&r=%20")).header("X-A", "1").send();
        try (RawServer.Peer peer = server.accept()) {
            assertThat(peer.readHead()).isEqualTo("GET /a/b?q=1&r=%20 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nUser-Agent: eventide\r\nX-A: 1\r\n\r\n");
            peer.send(OK);
            assertThat(body(get)).isEqualTo("ok");

            Promise<ClientResponse> post = client.post(server.url("/p"), "héllo");
            assertThat(peer.readHead()).isEqualTo("POST /p HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nUser-Agent: eventide\r\nContent-Length: 6\r\n\r\n");
            assertThat(peer.readBytes(6)).isEqualTo("h\u00c3\u00a9llo");
            peer.send(OK);
            assertThat(body(post)).isEqualTo("ok");
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void readsACloseDelimitedBodyAndDoesNotReuseItsConnection() throws IOException {
        Promise<ClientResponse> first = client.get(server.url("/1"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("HTTP/1.1 200 OK\r\n\r\nuntil the very end");
            peer.hangUp();
            assertThat(body(first)).isEqualTo("until the very end");
        }
        Promise<ClientResponse> second = client.get(server.url("/2"));
        try (RawServer.Peer peer = server.accept()) {
            assertThat(peer.readHead()).startsWith("GET /2 ");
            peer.send(OK);
            assertThat(body(second)).isEqualTo("ok");
        }
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void readsNoBodyAfterHead204And304AndKeepsTheConnection() throws IOException {
        Promise<ClientResponse> head = client.request("HEAD", server.url("/h")).send();
        try (RawServer.Peer peer = server.accept()) {
            assertThat(peer.readHead()).startsWith("HEAD /h HTTP/1.1\r\n");
            peer.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            ClientResponse h = head.join(Duration.ofSeconds(30));
            assertThat(h.contentLength()).isEqualTo(1000);
            assertThat(body(head)).isEmpty();

            Promise<ClientResponse> noContent = client.get(server.url("/204"));
            peer.readHead();
            peer.send("HTTP/1.1 204 No Content\r\nContent-Length: 1000\r\n\r\n");
            assertThat(noContent.join(Duration.ofSeconds(30)).status()).isEqualTo(204);
            assertThat(body(noContent)).isEmpty();

            Promise<ClientResponse> notModified = client.get(server.url("/304"));
            peer.readHead();
            peer.send("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertThat(body(notModified)).isEmpty();

            Promise<ClientResponse> last = client.get(server.url("/ok"));
            assertThat(peer.readHead()).startsWith("GET /ok ");
            peer.send(OK);
            assertThat(body(last)).isEqualTo("ok");
        }
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void skipsInterimResponsesAndReadsTrailers() throws IOException {
        Promise<ClientResponse> get = client.get(server.url("/"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n");
            ClientResponse res = get.join(Duration.ofSeconds(30));
            CompletableFuture<String> trailer = new CompletableFuture<>();
            res.loop().execute(() -> res.body().onSuccess(b -> trailer.complete(new String(b) + "|"
                    + res.trailers().get("X-Checksum"))));
            assertThat(res.status()).isEqualTo(200);
            assertThat(trailer.join()).isEqualTo("hello world|42");
        }
    }

    @Test
    void failsOnAMalformedStatusLineAndClosesTheConnection() throws IOException {
        Promise<ClientResponse> get = client.get(server.url("/"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("HTTP/1.1 2OO OK\r\n\r\n");
            assertThatThrownBy(() -> get.join(Duration.ofSeconds(30)))
                    .isInstanceOf(EventideException.class)
                    .hasMessage("malformed response from 127.0.0.1:" + server.port() + ": invalid status code");
            peer.awaitClientClose();
        }
    }

    @Test
    void failsOnBytesThatAreNotHttp() throws IOException {
        Promise<ClientResponse> get = client.get(server.url("/"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("SSH-2.0-OpenSSH_9.6\r\n");
            assertThatThrownBy(() -> get.join(Duration.ofSeconds(30)))
                    .isInstanceOf(EventideException.class).hasMessageEndingWith(": invalid status line");
        }
    }

    @Test
    void failsOnAmbiguousFramingAndOnAMalformedChunkedBody() throws IOException {
        Promise<ClientResponse> get = client.get(server.url("/"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertThatThrownBy(() -> get.join(Duration.ofSeconds(30)))
                    .hasMessageEndingWith(": both Transfer-Encoding and Content-Length");
        }
        Promise<ClientResponse> chunked = client.get(server.url("/"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
            assertThatThrownBy(() -> body(chunked))
                    .isInstanceOf(EventideException.class)
                    .hasMessageEndingWith(": malformed chunked body: invalid chunk size");
        }
    }

    @Test
    void retriesAnIdempotentRequestOnceWhenTheServerClosedAKeptAliveConnection() throws IOException {
        Promise<ClientResponse> first = client.get(server.url("/1"));
        try (RawServer.Peer stale = server.accept()) {
            stale.readHead();
            stale.send(OK);
            assertThat(body(first)).isEqualTo("ok");

            // The pooled connection carries the next request; the server closes it as the request
            // arrives, without a byte of response: the race every keep-alive client must survive.
            Promise<ClientResponse> second = client.get(server.url("/2"));
            assertThat(stale.readHead()).startsWith("GET /2 ");
            stale.hangUp();
            try (RawServer.Peer fresh = server.accept()) {
                assertThat(fresh.readHead()).startsWith("GET /2 ");
                fresh.send(OK);
                assertThat(body(second)).isEqualTo("ok");
            }
        }
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void retriesAWholeBodyPutButNotAPost() throws IOException {
        Promise<ClientResponse> first = client.get(server.url("/1"));
        try (RawServer.Peer stale = server.accept()) {
            stale.readHead();
            stale.send(OK);
            body(first);
            Promise<ClientResponse> put = client.request("PUT", server.url("/item")).send("{\"n\":1}");
            stale.readHead();
            stale.readBytes(7);
            stale.reset(); // RST rather than FIN: the other way a stale connection dies
            try (RawServer.Peer fresh = server.accept()) {
                assertThat(fresh.readHead()).startsWith("PUT /item ").contains("Content-Length: 7\r\n");
                assertThat(fresh.readBytes(7)).isEqualTo("{\"n\":1}");
                fresh.send(OK);
                assertThat(body(put)).isEqualTo("ok");

                Promise<ClientResponse> post = client.post(server.url("/order"), "buy");
                fresh.readHead();
                fresh.readBytes(3);
                fresh.hangUp();
                assertThatThrownBy(() -> post.join(Duration.ofSeconds(30)))
                        .isInstanceOf(EventideException.class)
                        .hasMessage("connection to 127.0.0.1:" + server.port() + " closed before a response");
            }
        }
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void aServerClosingAnIdleConnectionIsTransparent() throws IOException {
        Promise<ClientResponse> first = client.get(server.url("/1"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send(OK);
            body(first);
        } // closed while idle in the pool: dropped on the FIN, or retried if the FIN came too late
        Promise<ClientResponse> second = client.get(server.url("/2"));
        try (RawServer.Peer peer = server.accept()) {
            assertThat(peer.readHead()).startsWith("GET /2 ");
            peer.send(OK);
            assertThat(body(second)).isEqualTo("ok");
        }
    }

    @Test
    void doesNotReuseAConnectionTheServerAskedToClose() throws IOException {
        Promise<ClientResponse> first = client.get(server.url("/1"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            assertThat(body(first)).isEqualTo("ok");
            peer.awaitClientClose();
        }
        Promise<ClientResponse> second = client.get(server.url("/2"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send(OK);
            assertThat(body(second)).isEqualTo("ok");
        }
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void failsTheBodyStreamWhenTheConnectionIsResetOrCutShort() throws IOException {
        Promise<ClientResponse> reset = client.get(server.url("/reset"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
            ClientResponse res = reset.join(Duration.ofSeconds(30));
            CompletableFuture<Throwable> error = new CompletableFuture<>();
            CompletableFuture<Integer> received = new CompletableFuture<>();
            int[] n = {0};
            res.loop().execute(() -> res.onData(b -> {
                n[0] += b.remaining();
                b.position(b.limit());
                if (n[0] == 10) {
                    received.complete(n[0]);
                }
            }).onError(error::complete));
            assertThat(received.join()).isEqualTo(10);
            peer.reset();
            assertThat(error.join()).isInstanceOf(EventideException.class)
                    .hasMessageStartingWith("connection to 127.0.0.1:" + server.port() + " failed after 10 of 1000 body bytes");
        }
        Promise<ClientResponse> shortBody = client.get(server.url("/short"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
            peer.hangUp();
            assertThatThrownBy(() -> body(shortBody)).isInstanceOf(EventideException.class)
                    .hasMessage("connection to 127.0.0.1:" + server.port() + " closed after 10 of 1000 body bytes");
        }
    }

    @Test
    void aSmallBodyNobodyReadsStillFreesItsConnection() throws IOException {
        Promise<Integer> status = client.get(server.url("/1")).map(ClientResponse::status);
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send(OK);
            assertThat(status.join(Duration.ofSeconds(30))).isEqualTo(200);
            Promise<ClientResponse> next = client.get(server.url("/2"));
            assertThat(peer.readHead()).startsWith("GET /2 ");
            peer.send(OK);
            assertThat(body(next)).isEqualTo("ok");
        }
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void failsAnAggregatedBodyOverTheLimit() throws IOException {
        Promise<ClientResponse> get = client.get(server.url("/big"));
        try (RawServer.Peer peer = server.accept()) {
            peer.readHead();
            peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n89abcdef\r\n");
            ClientResponse res = get.join(Duration.ofSeconds(30));
            CompletableFuture<Throwable> error = new CompletableFuture<>();
            res.loop().execute(() -> res.body(10).onFailure(error::complete));
            assertThat(error.join()).isInstanceOf(EventideException.class)
                    .hasMessageEndingWith("exceeds max-response-body-bytes (10)");
            peer.awaitClientClose();
        }
    }

    @Test
    void refusesInvalidRequestsSynchronously() {
        assertThatThrownBy(() -> client.get("ftp://127.0.0.1/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only http:// and https://");
        assertThatThrownBy(() -> client.request("G T", server.url("/"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.request("GET", "127.0.0.1", server.port(), "/a b"))
                .isInstanceOf(IllegalArgumentException.class);
        ClientRequest req = client.request("GET", server.url("/"));
        assertThatThrownBy(() -> req.header("X-Bad", "a\r\nInjected: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> req.header("Transfer-Encoding", "chunked")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> req.write("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("confined to loop");
    }
}
