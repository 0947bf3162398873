package io.eventide.http;

import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import java.time.Duration;
import java.util.function.Consumer;

/** Starts an HttpServer on 127.0.0.1:0 over its own group, for tests. */
final class TestServers {
    private TestServers() {
    }

    static HttpServer start(HttpOptions options, Consumer<HttpServer> routes) {
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(2).build());
        HttpServer server = HttpServer.create(group, options);
        routes.accept(server);
        server.listen("127.0.0.1", 0).join();
        return server;
    }

    static void stop(HttpServer server) {
        server.close(Duration.ofSeconds(2)).join();
        server.group().close(Duration.ofSeconds(2)).join();
    }
}
