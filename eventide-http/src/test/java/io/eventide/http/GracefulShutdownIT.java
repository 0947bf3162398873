package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class GracefulShutdownIT {
    @Test
    void inFlightRequestsCompleteWithConnectionCloseAndNewOnesAreRefused() throws Exception {
        int n = 20;
        CountDownLatch arrived = new CountDownLatch(n);
        CompletableFuture<Void> release = new CompletableFuture<>();
        HttpServer server = TestServers.start(HttpOptions.defaults(), s -> s.get("/slow", (req, res) -> {
            arrived.countDown();
            // Answer only once the test has started the close: these requests are in flight.
            release.thenRun(() -> req.loop().execute(() -> res.end("done")));
        }));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/slow")).build(), BodyHandlers.ofString()));
        }
        arrived.await();
        int port = server.port();
        io.eventide.core.Promise<Void> closed = server.close(Duration.ofSeconds(10));
        release.complete(null);
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> r = f.join();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("done");
            assertThat(r.headers().firstValue("Connection")).hasValue("close");
        }
        closed.join();
        assertThat(server.connections()).isZero();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        server.group().close(Duration.ofSeconds(2)).join();
    }
}
