package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The hot path's allocation budget (DESIGN.md, performance principles): bytes the loop thread
 * allocates per pipelined plaintext request, measured by the JVM's per-thread allocation counter.
 * Escape analysis can only lower what the code allocates, so an upper bound is stable whether the
 * code runs interpreted or compiled. The budget is what the engine allocated before issue 18's
 * restructuring (480 to 490 bytes), with a little room: a change that allocates more per request
 * fails here.
 */
class AllocationBudgetIT {
    /** Bytes per {@code GET /plaintext} on a keep-alive connection, 16 pipelined per write. */
    static final long BUDGET = 500;

    @Test
    void aPipelinedPlaintextRequestStaysWithinTheBudget() throws Exception {
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(1).build());
        HttpServer server = HttpServer.create(group, HttpOptions.defaults());
        server.get("/plaintext", (req, res) -> res.contentType("text/plain").end(HELLO));
        server.listen("127.0.0.1", 0).join();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            // Warm-up: class loading, the parser's buffers, the JIT. Long enough for the epoll
            // transport's downcalls to be compiled too: interpreted, they allocate per call.
            run(s, 50_000);
            long before = allocated(group);
            int n = 20_000;
            run(s, n);
            long perRequest = (allocated(group) - before) / n;
            System.out.println("AllocationBudgetIT: " + perRequest + " bytes per request on the loop");
            assertThat(perRequest).as("bytes allocated per request on the loop").isLessThanOrEqualTo(BUDGET);
        } finally {
            server.close(Duration.ofSeconds(2)).join();
            group.close(Duration.ofSeconds(2)).join();
        }
    }

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private static void run(Socket s, int n) throws Exception {
        byte[] batch = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".repeat(16).getBytes(StandardCharsets.US_ASCII);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        byte[] marker = HELLO;
        for (int sent = 0; sent < n; sent += 16) {
            out.write(batch);
            int seen = 0;
            int match = 0;
            while (seen < 16) {
                int r = in.read(buf);
                if (r < 0) {
                    throw new AssertionError("server closed the connection");
                }
                for (int i = 0; i < r; i++) {
                    match = buf[i] == marker[match] ? match + 1 : buf[i] == marker[0] ? 1 : 0;
                    if (match == marker.length) {
                        seen++;
                        match = 0;
                    }
                }
            }
        }
    }

    /** Bytes allocated so far by the group's only loop thread. */
    private static long allocated(LoopGroup group) {
        CompletableFuture<Long> id = new CompletableFuture<>();
        group.loop(0).execute(() -> id.complete(Thread.currentThread().threadId()));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return mx.getThreadAllocatedBytes(id.join());
    }
}
