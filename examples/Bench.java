import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpServer;
import io.eventide.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
                  GET  /db /queries?n= /fortunes /updates?n=   TechEmpower over PostgreSQL (bench/pg)
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
        TechEmpower.register(app, group); // GET /db /queries /fortunes /updates (PostgreSQL: bench/pg/setup.sh)
        // TLS_CERT and TLS_KEY (PEM chain, PKCS#8 key): the same workload over HTTPS (bench/http/run.sh --tls).
        if (System.getenv("TLS_CERT") != null) {
            app.tls(io.eventide.core.tls.ServerTls.pem(java.nio.file.Path.of(System.getenv("TLS_CERT")),
                    java.nio.file.Path.of(System.getenv("TLS_KEY"))));
        }
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

    /**
     * The TechEmpower database routes over eventide-pg, against the world and fortune tables that
     * bench/pg/setup.sh creates. Connection settings come from the libpq variables (PGHOST, PGPORT,
     * PGDATABASE, default eventide_bench, PGUSER, PGPASSWORD, ...: PgOptions.fromEnv); PG_POOL is the
     * number of connections per loop (default 4), PG_WAITERS the statements that may wait for one.
     * Nothing connects until the first request.
     */
    static final class TechEmpower {
        record World(int id, int randomNumber) {
        }

        private static final String SELECT = "SELECT id, randomnumber FROM world WHERE id = $1";

        static void register(HttpServer app, LoopGroup group) {
            java.util.Map<String, String> env = System.getenv();
            io.eventide.pg.PgClient pg = io.eventide.pg.PgClient.create(group, io.eventide.pg.PgOptions.fromEnv()
                    .database(env.getOrDefault("PGDATABASE", "eventide_bench"))
                    .maxSize(Integer.parseInt(env.getOrDefault("PG_POOL", "4")))
                    // 256 clients x /queries?n=500 is 128,000 statements: queue them (bounded) rather than 503.
                    .maxWaiters(Integer.parseInt(env.getOrDefault("PG_WAITERS", "200000"))));
            app.get("/db", (req, res) -> pg.query(SELECT, randomId())
                    .onSuccess(rs -> Json.send(res, world(rs.first())))
                    .onFailure(err -> res.sendError(503, "database error")));
            app.get("/queries", (req, res) -> worlds(pg, req.loop(), count(req.queryParam("n")))
                    .onSuccess(ws -> Json.send(res, ws))
                    .onFailure(err -> res.sendError(503, "database error")));
            app.get("/updates", (req, res) -> worlds(pg, req.loop(), count(req.queryParam("n"))).flatMap(ws -> {
                List<World> changed = new ArrayList<>(ws.size());
                List<Object[]> params = new ArrayList<>(ws.size());
                for (World w : ws) {
                    changed.add(new World(w.id(), randomId()));
                }
                changed.sort(java.util.Comparator.comparingInt(World::id)); // a fixed lock order: no deadlocks
                for (World w : changed) {
                    params.add(new Object[] {w.randomNumber(), w.id()});
                }
                return pg.batch("UPDATE world SET randomnumber = $1 WHERE id = $2", params).map(r -> changed);
            }).onSuccess(ws -> Json.send(res, ws)).onFailure(err -> res.sendError(503, "database error")));
            app.get("/fortunes", (req, res) -> pg.query("SELECT id, message FROM fortune").onSuccess(rs -> {
                List<String[]> fortunes = new ArrayList<>(rs.size() + 1);
                for (io.eventide.pg.Row r : rs) {
                    fortunes.add(new String[] {String.valueOf(r.getInteger(0)), r.getString(1)});
                }
                fortunes.add(new String[] {"0", "Additional fortune added at request time."});
                fortunes.sort(java.util.Comparator.comparing(f -> f[1]));
                StringBuilder html = new StringBuilder(2048).append("<!DOCTYPE html><html><head><title>Fortunes</title></head>"
                        + "<body><table><tr><th>id</th><th>message</th></tr>");
                for (String[] f : fortunes) {
                    html.append("<tr><td>").append(f[0]).append("</td><td>").append(escape(f[1])).append("</td></tr>");
                }
                res.contentType("text/html; charset=utf-8").end(html.append("</table></body></html>").toString());
            }).onFailure(err -> res.sendError(503, "database error")));
        }

        /** n worlds, their statements pipelined on the loop's connections. */
        static io.eventide.core.Promise<List<World>> worlds(io.eventide.pg.PgClient pg, io.eventide.core.EventLoop loop, int n) {
            List<io.eventide.core.Promise<World>> ps = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ps.add(pg.query(SELECT, randomId()).map(rs -> world(rs.first())));
            }
            return io.eventide.core.Promise.all(loop, ps);
        }

        static World world(io.eventide.pg.Row r) {
            return new World(r.getInteger(0), r.getInteger(1));
        }

        static int randomId() {
            return java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 10_001);
        }

        /** TechEmpower's rule: a missing or bad n is 1, and n is kept within 1..500. */
        static int count(String n) {
            return (int) Math.max(1, Math.min(500, parse(n, 1)));
        }

        static String escape(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 16);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '<' -> sb.append("&lt;");
                    case '>' -> sb.append("&gt;");
                    case '&' -> sb.append("&amp;");
                    case '"' -> sb.append("&quot;");
                    case '\'' -> sb.append("&#39;");
                    default -> sb.append(c);
                }
            }
            return sb.toString();
        }
    }
}
