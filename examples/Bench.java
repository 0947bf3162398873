import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import io.eventide.json.Json;
import java.time.Duration;
import java.util.Map;

/**
 * The standard workload (see docs/benchmarks.md), on $PORT (default 8080) with $EVENTIDE_LOOPS loops
 * (default: one per core).
 */
public class Bench {
    record Message(String message) {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        int loops = Integer.parseInt(System.getenv().getOrDefault("EVENTIDE_LOOPS",
                String.valueOf(Runtime.getRuntime().availableProcessors())));
        LoopGroup group = LoopGroup.create(LoopOptions.defaults().loops(loops));
        HttpServer app = HttpServer.create(group, HttpOptions.defaults().timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60)));

        app.get("/", (req, res) -> res.end("""
                Eventide standard workload
                  GET  /plaintext           Hello, World!
                  GET  /json                {"message":"Hello, World!"}
                  POST /echo                the request body, streamed back
                  GET  /delay?ms=N          answered after N ms by a timer
                  GET  /cpu?n=N[&offload=1] CPU work of size N, on the loop or on a worker
                """));
        app.get("/plaintext", (req, res) -> res.contentType("text/plain").end("Hello, World!"));
        app.get("/json", (req, res) -> Json.send(res, new Message("Hello, World!")));
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
            long ms = parse(req.queryParam("ms"), 0);
            req.loop().setTimeout(ms, () -> res.end("delayed " + ms + " ms\n"));
        });
        app.get("/cpu", (req, res) -> {
            int n = (int) parse(req.queryParam("n"), 1000);
            if ("1".equals(req.queryParam("offload"))) {
                req.loop().offload(() -> cpu(n)).onSuccess(r -> res.end("cpu " + n + " = " + r + " (worker)\n"))
                        .onFailure(err -> res.sendError(503, "workers busy"));
            } else {
                res.end("cpu " + n + " = " + cpu(n) + " (loop)\n");
            }
        });
        // Real-time: WebSocket echo, a topic broadcast (POST /broadcast publishes the body to every
        // GET /ws/broadcast socket) and an SSE stream of n events.
        io.eventide.http.topic.LocalTopic<String> broadcast = io.eventide.http.topic.LocalTopic.create("broadcast");
        io.eventide.http.websocket.WebSocketOptions ws = io.eventide.http.websocket.WebSocketOptions.defaults();
        app.get("/ws/echo", io.eventide.http.websocket.WebSockets.handler(ws, socket -> {
            socket.onText(socket::sendText);
            socket.onBinary(socket::sendBinary);
        }));
        app.get("/ws/broadcast", io.eventide.http.websocket.WebSockets.handler(ws, socket -> broadcast.subscribe(socket)));
        app.post("/broadcast", (req, res) -> req.bodyAsString().onSuccess(body -> {
            broadcast.publish(body);
            res.end("published to " + broadcast.subscribers() + " subscribers\n");
        }));
        app.get("/sse/ticks", (req, res) -> {
            long n = parse(req.queryParam("n"), 10);
            io.eventide.http.sse.SseStream sse = io.eventide.http.sse.Sse.start(req, res);
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
        });
        app.listen(port).join();
        System.out.println("Bench: listening on port " + app.port() + " with " + loops + " loop(s), JDK "
                + Runtime.version() + ", pid " + ProcessHandle.current().pid());
    }

    static long parse(String s, long dflt) {
        try {
            return s == null ? dflt : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** A deterministic CPU-bound job: n rounds of a 64-bit mix over a 1 KiB block. */
    static long cpu(int n) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 128; j++) {
                h ^= h >>> 33;
                h *= 0xff51afd7ed558ccdL;
                h += j;
            }
        }
        return h;
    }
}
