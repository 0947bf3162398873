package io.eventide.lab.servers;

import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.net.TcpOptions;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import io.eventide.json.Json;
import java.time.Duration;

/**
 * The standard workload on Eventide, as {@code examples/Bench.java} serves it: every handler runs
 * on its connection's loop, {@code /delay} is a loop timer, and {@code /cpu} runs on the loop or,
 * with {@code offload=1}, on the group's workers with the answer coming back to the loop.
 *
 * <p>Environment: {@code PORT}, {@code EVENTIDE_LOOPS} (default: one per available core).
 *
 * <p><b>Threading:</b> {@link #main} runs once; handlers run on the loops.
 */
public final class EventideServer {
    private EventideServer() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        int port = Workload.env("PORT", 8080);
        int loops = Workload.env("EVENTIDE_LOOPS", Runtime.getRuntime().availableProcessors());
        LoopGroup group = LoopGroup.create(LoopOptions.defaults().loops(loops));
        HttpServer app = HttpServer.create(group, HttpOptions.builder()
                .tcp(TcpOptions.defaults().backlog(Workload.BACKLOG))
                .headerTimeout(Duration.ofSeconds(10)).keepAliveTimeout(Duration.ofSeconds(Workload.IDLE_TIMEOUT_SECONDS))
                .build());
        Workload.Message message = new Workload.Message(Workload.HELLO);
        app.get("/plaintext", (req, res) -> res.contentType("text/plain").end(Workload.HELLO_BYTES));
        app.get("/json", (req, res) -> Json.send(res, message));
        app.post("/echo", (req, res) -> {
            String type = req.header("Content-Type");
            res.contentType(type != null ? type : "application/octet-stream");
            req.onData(chunk -> {
                if (!res.write(chunk)) {
                    req.pause();
                }
            });
            res.onDrain(req::resume);
            req.onEnd(res::end);
        });
        app.get("/delay", (req, res) -> {
            long ms = Workload.parse(req.queryParam("ms"), 0);
            req.loop().setTimeout(ms, () -> res.end(Workload.delayed(ms)));
        });
        app.get("/cpu", (req, res) -> {
            int n = (int) Workload.parse(req.queryParam("n"), Workload.DEFAULT_CPU_N);
            if ("1".equals(req.queryParam("offload"))) {
                req.loop().offload(() -> Workload.cpu(n))
                        .onSuccess(r -> res.end(Workload.cpuAnswer(n, r, "worker")))
                        .onFailure(err -> res.sendError(503, "workers busy"));
            } else {
                res.end(Workload.cpuAnswer(n, Workload.cpu(n), "loop"));
            }
        });
        app.listen("127.0.0.1", port).join(); // blocking-ok: main thread at startup
        ControlChannel.start("eventide-" + loops, app.port());
    }
}
