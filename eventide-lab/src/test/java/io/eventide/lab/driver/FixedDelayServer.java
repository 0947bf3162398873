package io.eventide.lab.driver;

import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server with a known answer, for testing the drivers: {@code /delay} answers after exactly
 * {@code delayMillis} (a loop timer), {@code /fast} at once, except that the request number
 * {@code stallAt} to {@code /fast} is held for {@code stallMillis}.
 */
final class FixedDelayServer implements AutoCloseable {
    private final LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(1).build());
    private final HttpServer server;
    private final AtomicLong fast = new AtomicLong();

    FixedDelayServer(long delayMillis, long stallAt, long stallMillis) {
        server = HttpServer.create(group, HttpOptions.defaults());
        server.get("/delay", (req, res) -> req.loop().setTimeout(delayMillis, () -> res.end("ok")));
        server.get("/fast", (req, res) -> {
            if (fast.incrementAndGet() == stallAt) {
                req.loop().setTimeout(stallMillis, () -> res.end("late"));
            } else {
                res.end("ok");
            }
        });
        server.get("/plaintext", (req, res) -> res.end("Hello, World!"));
        server.listen("127.0.0.1", 0).join();
    }

    int port() {
        return server.port();
    }

    int connections() {
        return server.connections();
    }

    @Override
    public void close() throws java.io.IOException {
        try {
            server.close(Duration.ofSeconds(1)).join(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            throw new java.io.IOException("server did not close", e);
        } finally {
            group.close();
        }
    }
}
