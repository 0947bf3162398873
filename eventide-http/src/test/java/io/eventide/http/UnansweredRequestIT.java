package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, defect 9: the README's own pattern {@code loop.offload(() -> slowReport()).onSuccess(res::end)}
 * lost a failure: the client hung, nothing was logged, and a drain later cut the request off yet
 * exited 0. Now the failure is an unhandled rejection, the client gets 503 after the handler
 * timeout, and a drain that has to cut a request off says so.
 */
class UnansweredRequestIT {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aFailureSeenOnlyByOnSuccessIsReportedAndTheClientGets503() throws Exception {
        List<Throwable> unhandled = new CopyOnWriteArrayList<>();
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(1).onUnhandledRejection(unhandled::add).build());
        HttpServer server = HttpServer.create(group, HttpOptions.builder().handlerTimeout(Duration.ofMillis(300))
                .sweepInterval(Duration.ofMillis(50)).build());
        server.get("/report", (req, res) -> req.loop().offload(UnansweredRequestIT::slowReport).onSuccess(res::end));
        server.listen("127.0.0.1", 0).join();
        try {
            var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/report")).timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("handler-timeout (300 ms)");
            // The rejection was reported when the worker's result reached the loop, before the 503.
            assertThat(unhandled).extracting(Throwable::getMessage).containsExactly("the report failed");
            assertThat(server.responses(5)).isEqualTo(1);
        } finally {
            server.close(Duration.ofSeconds(2)).join();
            group.close(Duration.ofSeconds(2)).join();
        }
    }

    private static String slowReport() {
        throw new IllegalStateException("the report failed");
    }

    @Test
    void aDrainThatCutsARequestOffRejects() throws Exception {
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(1).build());
        HttpServer server = HttpServer.create(group, HttpOptions.builder().handlerTimeout(Duration.ZERO).build());
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        server.get("/never", (req, res) -> arrived.complete(null));
        server.listen("127.0.0.1", 0).join();
        try {
            var pending = client.sendAsync(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/never")).build(), BodyHandlers.ofString());
            arrived.join();
            assertThatThrownBy(() -> server.close(Duration.ofMillis(200)).join())
                    .isInstanceOf(DeadlineExceededException.class).hasMessageContaining("1 connection was still busy");
            assertThat(pending).failsWithin(Duration.ofSeconds(20));
        } finally {
            group.close(Duration.ofSeconds(2)).join();
        }
    }
}
