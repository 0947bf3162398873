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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CloseTest {
    @Test
    void closeLeavesNoThreadNoChannelAndNoBufferBehind() {
        String prefix = "closetest";
        LoopGroup g = LoopGroup.create(LoopOptions.builder().loops(2).namePrefix(prefix).build());
        AtomicInteger closeCallbacks = new AtomicInteger();
        TcpServer server = TcpServer.create(g, TcpOptions.defaults().watermarks(1024, 256), c -> {
            c.onClose(cause -> closeCallbacks.incrementAndGet());
            c.onData(buf -> {
                // Reply until the socket refuses more (the client never reads), so the write queue
                // holds pooled buffers when close begins. Bounded: the kernel takes a few MiB at most.
                ByteBuffer chunk = ByteBuffer.allocate(256 * 1024);
                for (int i = 0; i < 64 && c.write(chunk.clear()); i++) {
                    // the socket took it all: write more
                }
                buf.position(buf.limit());
            });
        });
        server.listen("127.0.0.1", 0).join();
        int clients = 20;
        List<Promise<Connection>> connected = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            connected.add(TcpClient.connect(g.next(), "127.0.0.1", server.port()).map(c -> {
                c.onClose(cause -> closeCallbacks.incrementAndGet());
                c.pause(); // never read: the server's replies stay queued
                c.write(ByteBuffer.wrap("go".getBytes()));
                return c;
            }));
        }
        for (Promise<Connection> p : connected) {
            p.join();
        }
        g.loop(0).offload(() -> 1).join();
        g.close(Duration.ofMillis(200)).join();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
        // Every connection, both ends, went through its own close (queued buffers released, onClose
        // run): the group's deadline force-closes stragglers through their handlers, so the loop's
        // blunt last-resort close at termination found nothing open.
        assertThat(closeCallbacks.get()).isEqualTo(2 * clients);
        assertThat(g.loops()).allSatisfy(l -> {
            assertThat(l.abandonedChannels()).as("channels %s closed bluntly", l.name()).isZero();
            assertThat(l.outstandingBuffers()).as("pooled buffers still out on %s", l.name()).isZero();
        });
        assertThat(server.connections()).isZero();
    }
}
