package io.eventide.http.websocket;

import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/** An HttpServer on 127.0.0.1:0 over its own two-loop group, for WebSocket, SSE and topic tests. */
public final class WsTestServer implements AutoCloseable {
    public final HttpServer server;
    public final LoopGroup group;

    private WsTestServer(LoopGroup group, HttpServer server) {
        this.group = group;
        this.server = server;
    }

    public static WsTestServer start(Consumer<HttpServer> routes) {
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(2).build());
        HttpServer server = HttpServer.create(group, HttpOptions.defaults());
        routes.accept(server);
        server.listen("127.0.0.1", 0).join();
        return new WsTestServer(group, server);
    }

    public int port() {
        return server.port();
    }

    public URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port() + path);
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @Override
    public void close() {
        // The group's graceful close tells upgraded sockets to say goodbye (1001) before it ends.
        group.close(Duration.ofSeconds(3)).join();
    }
}
