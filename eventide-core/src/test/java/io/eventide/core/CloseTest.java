package io.eventide.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.net.Connection;
import io.eventide.core.net.TcpClient;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.net.TcpServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CloseTest {
    @Test
    void closeLeavesNoThreadNoChannelAndNoBufferBehind() {
        String prefix = "closetest";
        LoopGroup g = LoopGroup.create(LoopOptions.defaults().loops(2).namePrefix(prefix));
        TcpServer server = TcpServer.create(g, TcpOptions.defaults().watermarks(1024, 256), c -> c.onData(buf -> {
            // Echo with a big reply so write queues hold pooled buffers when close begins.
            c.write(ByteBuffer.allocate(256 * 1024));
            buf.position(buf.limit());
        }));
        server.listen("127.0.0.1", 0).join();
        List<Promise<Connection>> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            EventLoop l = g.next();
            clients.add(TcpClient.connect(l, "127.0.0.1", server.port()).map(c -> {
                c.pause(); // never read: the server's replies stay queued
                c.write(ByteBuffer.wrap("go".getBytes()));
                return c;
            }));
        }
        for (Promise<Connection> p : clients) {
            p.join();
        }
        g.workers(); // touch
        g.loop(0).offload(() -> 1).join();
        CompletableFuture<Void> closed = g.close(Duration.ofMillis(200));
        closed.join();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
        assertThat(g.loops()).allSatisfy(l -> assertThat(l.registeredChannels()).isZero());
        assertThat(BufferPool.outstandingTotal()).isZero();
        assertThat(server.connections()).isZero();
    }
}
