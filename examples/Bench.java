import io.eventide.core.LoopGroup;
import io.eventide.demo.BenchApp;
import io.eventide.demo.Workload;
import io.eventide.http.HttpServer;
import io.eventide.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard workload (see docs/benchmarks.md), on $PORT (default 8080) with $EVENTIDE_LOOPS loops
 * (default: one per core): `./eventide run examples/Bench.java`. Its one copy lives in eventide-demo
 * ({@code io.eventide.demo.BenchApp}), shared with bench/ and the lab; this file adds the
 * TechEmpower database routes over eventide-pg (bench/pg).
 */
public class Bench {
    public static void main(String[] args) {
        BenchApp.main(args, TechEmpower::register); // GET /db /queries /fortunes /updates (bench/pg/setup.sh)
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
            return (int) Math.max(1, Math.min(500, Workload.parse(n, 1)));
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
