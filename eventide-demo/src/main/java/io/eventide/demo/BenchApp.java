package io.eventide.demo;

import io.eventide.cli.HostConfig;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.http.HttpServer;
import io.eventide.http.sse.Sse;
import io.eventide.http.sse.SseOptions;
import io.eventide.http.topic.LocalTopic;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;
import io.eventide.json.Json;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The standard workload on Eventide (docs/benchmarks.md), the one copy: {@code examples/Bench.java}
 * runs {@link #main}, {@code bench/} measures it, and the lab's Eventide server installs the same
 * {@link #routes}. Every handler runs on its connection's loop; {@code /delay} is a loop timer;
 * {@code /cpu} runs on the loop or, with {@code offload=1}, on a worker.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>endpoint</th><th>answer</th></tr>
 *   <tr><td>{@code GET /plaintext}, {@code GET /json}</td><td>{@value Workload#HELLO}, as text or JSON</td></tr>
 *   <tr><td>{@code POST /echo}</td><td>the body, streamed back with backpressure</td></tr>
 *   <tr><td>{@code GET /delay?ms=N}, {@code GET /cpu?n=N[&offload=1]}</td><td>see {@link Workload}</td></tr>
 *   <tr><td>{@code GET /ws/echo}, {@code GET /ws/broadcast}, {@code POST /broadcast}</td>
 *       <td>WebSocket echo; a topic's fan-out of each POSTed body</td></tr>
 *   <tr><td>{@code GET /sse/ticks?n=N}</td><td>N Server-Sent Events, then the end</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> {@link #routes} before the server listens, from one thread.
 */
public final class BenchApp {
    private BenchApp() {
    }

    /**
     * Serves the workload on {@code $PORT} (default 8080) with {@code $EVENTIDE_LOOPS} loops (default
     * one per core): configuration through {@link HostConfig}, but no hosting around it (no
     * admission control, no extra routes), so that only the server is measured. Keep-alive is 60 s:
     * longer than any benchmark cell.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        main(args, (app, group) -> { });
    }

    /**
     * {@link #main(String[])} with more routes, added after the workload's (the TechEmpower database
     * routes of {@code examples/Bench.java}).
     *
     * @param args unused
     * @param more adds routes, given the server and its loops
     */
    public static void main(String[] args, BiConsumer<HttpServer, LoopGroup> more) {
        HostConfig config = HostConfig.load(Map.of("keep-alive-timeout-ms", "60000", "port", "8080"));
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(config.loops()).build());
        HttpServer app = HttpServer.create(group, config.http());
        io.eventide.core.tls.ServerTls tls = config.tls(); // tls.cert / tls.key: bench/http/run.sh --tls
        if (tls != null) {
            app.tls(tls);
        }
        routes(app);
        more.accept(app, group);
        app.listen(config.port()).join(); // blocking-ok: main thread at startup
        System.out.println("Bench: listening on port " + app.port() + " with " + group.size() + " loop(s), JDK "
                + Runtime.version() + ", pid " + ProcessHandle.current().pid());
    }

    /** @param app the server to install the workload's routes on */
    public static void routes(HttpServer app) {
        Workload.Message message = new Workload.Message(Workload.HELLO);
        app.get("/", (req, res) -> res.end("""
                Eventide standard workload
                  GET  /plaintext           Hello, World!
                  GET  /json                {"message":"Hello, World!"}
                  POST /echo                the request body, streamed back
                  GET  /delay?ms=N          answered after N ms by a timer
                  GET  /cpu?n=N[&offload=1] CPU work of size N, on the loop or on a worker
                  GET  /db /queries?n= /fortunes /updates?n=   TechEmpower over PostgreSQL (examples/Bench.java, bench/pg)
                """));
        app.get("/plaintext", (req, res) -> res.contentType("text/plain").end(Workload.HELLO));
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
        realtime(app);
    }

    /** WebSocket echo, a topic broadcast, and an SSE stream of n events. */
    private static void realtime(HttpServer app) {
        LocalTopic<String> broadcast = LocalTopic.create("broadcast");
        WebSocketOptions ws = WebSocketOptions.defaults();
        app.get("/ws/echo", WebSockets.handler(ws, socket -> {
            socket.onText(socket::sendText);
            socket.onBinary(socket::sendBinary);
        }));
        app.get("/ws/broadcast", WebSockets.handler(ws, socket -> broadcast.subscribe(socket)));
        app.post("/broadcast", (req, res) -> req.bodyAsString().onSuccess(body -> {
            broadcast.publish(body);
            res.end("published to " + broadcast.subscribers() + " subscribers\n");
        }));
        app.get("/sse/ticks", Sse.handler(SseOptions.defaults(), (req, sse) -> {
            long n = Workload.parse(req.queryParam("n"), 10);
            long[] sent = {0};
            Runnable pump = () -> {
                while (sent[0] < n && sse.isOpen()) {
                    long i = sent[0]++;
                    if (!sse.send("tick", String.valueOf(i), "tick " + i)) {
                        return; // queued past the high watermark: go on when it drains
                    }
                }
                if (sse.isOpen()) {
                    sse.close();
                }
            };
            sse.onDrain(pump);
            pump.run();
        }));
    }
}
