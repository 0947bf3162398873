package io.eventide.http.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.dns.DnsException;
import io.eventide.core.dns.Resolver;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import io.eventide.http.client.ClientOptions;
import io.eventide.http.client.ClientResponse;
import io.eventide.http.client.HttpClient;
import io.eventide.http.websocket.WebSocketClient;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP and WebSocket clients resolve host names through their loop group's {@link Resolver}
 * (installed here with {@link Resolver#setDefault}): no blocking {@code InetAddress} lookup on the
 * way, and a name that does not exist fails the request with the resolver's NXDOMAIN.
 */
class ClientsResolveThroughTheGroupResolverIT {
    private final ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
    private LoopGroup serverGroup;
    private LoopGroup clientGroup;
    private HttpServer server;

    @BeforeEach
    void start() {
        serverGroup = LoopGroup.create(1);
        server = HttpServer.create(serverGroup, HttpOptions.defaults());
        server.get("/hi", (req, res) -> res.end("hi from " + req.header("host")));
        server.get("/ws", WebSockets.handler(WebSocketOptions.defaults(), ws -> ws.onText(ws::sendText)));
        server.listen("127.0.0.1", 0).join();
        clientGroup = LoopGroup.create(1);
        Resolver.setDefault(clientGroup, (EventLoop loop, String host) -> {
            asked.add(host + " on " + Thread.currentThread().getName());
            if (host.equals("api.test")) {
                return Promise.resolved(loop, List.of(InetAddress.getLoopbackAddress()));
            }
            return Promise.failed(loop, new DnsException(DnsException.Code.NXDOMAIN, host, "host not found: " + host,
                    null));
        });
    }

    @AfterEach
    void stop() {
        server.close(Duration.ofSeconds(2)).join();
        serverGroup.close(Duration.ofSeconds(2)).join();
        clientGroup.close(Duration.ofSeconds(2)).join();
    }

    @Test
    void theHttpClientConnectsToTheResolvedAddressAndReportsNxdomain() throws Exception {
        HttpClient client = HttpClient.create(clientGroup, ClientOptions.defaults());
        String body = client.get("http://api.test:" + server.port() + "/hi").flatMap(ClientResponse::bodyAsString)
                .join(Duration.ofSeconds(20));
        assertThat(body).isEqualTo("hi from api.test:" + server.port());
        assertThat(asked).anyMatch(a -> a.startsWith("api.test on " + clientGroup.loop(0).name()));

        // Asked on the loop with the reaction attached at once: the failure can land within microseconds.
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        clientGroup.loop(0).execute(() -> client.get("http://nowhere.test:" + server.port() + "/hi")
                .whenComplete((r, e) -> failed.complete(e)));
        Throwable err = failed.get(20, TimeUnit.SECONDS);
        assertThat(err).isInstanceOf(DnsException.class);
        assertThat(((DnsException) err).code()).isEqualTo(DnsException.Code.NXDOMAIN);
        client.close().join(Duration.ofSeconds(5));
    }

    @Test
    void theWebSocketClientConnectsToTheResolvedAddress() throws Exception {
        CompletableFuture<String> echo = new CompletableFuture<>();
        EventLoop loop = clientGroup.loop(0);
        loop.execute(() -> WebSocketClient.connect(loop, URI.create("ws://api.test:" + server.port() + "/ws"),
                WebSocketOptions.defaults()).whenComplete((ws, e) -> {
                    if (e != null) {
                        echo.completeExceptionally(e);
                        return;
                    }
                    ws.onText(t -> {
                        echo.complete(t);
                        ws.close(1000, "done");
                    });
                    ws.sendText("through the resolver");
                }));
        assertThat(echo.get(20, TimeUnit.SECONDS)).isEqualTo("through the resolver");
        assertThat(asked).anyMatch(a -> a.startsWith("api.test"));
    }
}
