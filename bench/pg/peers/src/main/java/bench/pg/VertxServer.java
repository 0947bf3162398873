package bench.pg;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The TechEmpower routes on Vert.x 5: one event loop (like Eventide's one-loop Bench), a pooled
 * SqlClient with pipelining (pipeliningLimit 256) and prepared statements cached. PORT, PG_POOL.
 */
public final class VertxServer {
    private VertxServer() {
    }

    public static void main(String[] args) {
        int port = Env.getInt("PORT", 8080);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(false));
        PgConnectOptions connect = new PgConnectOptions().setHost(Env.host()).setPort(Env.port())
                .setDatabase(Env.database()).setUser(Env.user()).setPassword(Env.password())
                .setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(256).setPipeliningLimit(256);
        SqlClient db = PgBuilder.client().with(new PoolOptions().setMaxSize(Env.getInt("PG_POOL", 4)))
                .connectingTo(connect).using(vertx).build();
        vertx.createHttpServer().requestHandler(req -> route(db, req)).listen(port).await();
        System.out.println("VertxServer: listening on port " + port + ", pid " + ProcessHandle.current().pid());
    }

    private static void route(SqlClient db, HttpServerRequest req) {
        switch (req.path()) {
            case "/plaintext" -> req.response().putHeader("Content-Type", "text/plain").end("Hello, World!");
            case "/db" -> db.preparedQuery(Env.SELECT).execute(Tuple.of(Env.randomId())).onComplete(ar -> {
                if (ar.failed()) {
                    req.response().setStatusCode(503).end();
                } else {
                    Row r = ar.result().iterator().next();
                    json(req, Env.world(r.getInteger(0), r.getInteger(1)));
                }
            });
            case "/queries" -> worlds(db, Env.count(req.query())).onComplete(ar -> {
                if (ar.failed()) {
                    req.response().setStatusCode(503).end();
                } else {
                    json(req, array(ar.result()));
                }
            });
            case "/updates" -> worlds(db, Env.count(req.query())).compose(ws -> {
                List<int[]> changed = new ArrayList<>();
                for (int[] w : ws) {
                    changed.add(new int[] {w[0], Env.randomId()});
                }
                changed.sort(Comparator.comparingInt(w -> w[0]));
                List<Tuple> batch = new ArrayList<>();
                for (int[] w : changed) {
                    batch.add(Tuple.of(w[1], w[0]));
                }
                return db.preparedQuery(Env.UPDATE).executeBatch(batch).map(r -> changed);
            }).onComplete(ar -> {
                if (ar.failed()) {
                    req.response().setStatusCode(503).end();
                } else {
                    json(req, array(ar.result()));
                }
            });
            case "/fortunes" -> db.preparedQuery(Env.FORTUNES).execute().onComplete(ar -> {
                if (ar.failed()) {
                    req.response().setStatusCode(503).end();
                    return;
                }
                List<String[]> fortunes = new ArrayList<>();
                for (Row r : ar.result()) {
                    fortunes.add(new String[] {String.valueOf(r.getInteger(0)), r.getString(1)});
                }
                req.response().putHeader("Content-Type", "text/html; charset=utf-8").end(Env.fortunesHtml(fortunes));
            });
            default -> req.response().setStatusCode(404).end();
        }
    }

    private static Future<List<int[]>> worlds(SqlClient db, int n) {
        List<Future<int[]>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fs.add(db.preparedQuery(Env.SELECT).execute(Tuple.of(Env.randomId())).map(rs -> {
                Row r = rs.iterator().next();
                return new int[] {r.getInteger(0), r.getInteger(1)};
            }));
        }
        return Future.all(fs).map(cf -> {
            List<int[]> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(cf.resultAt(i));
            }
            return out;
        });
    }

    private static String array(List<int[]> ws) {
        StringBuilder sb = new StringBuilder(ws.size() * 32).append('[');
        for (int i = 0; i < ws.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(Env.world(ws.get(i)[0], ws.get(i)[1]));
        }
        return sb.append(']').toString();
    }

    private static void json(HttpServerRequest req, String body) {
        req.response().putHeader("Content-Type", "application/json").end(body);
    }
}
