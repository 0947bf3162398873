package io.eventide.example.shop;

import io.eventide.core.Promise;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.HttpServer;
import io.eventide.json.Json;
import io.eventide.pg.PgClient;
import io.eventide.pg.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The catalog service: products in PostgreSQL, served as JSON.
 *
 * <pre>
 *   GET  /products/:id          {"id":1,"name":"...","priceCents":1299}, or 404
 *   GET  /products              every product
 *   POST /admin/delay?ms=N      answer every product request N ms late (0: on time); also $CATALOG_DELAY_MS
 *   GET  /healthz               200 once listening
 * </pre>
 *
 * <p>The delay is the "slow service" of the load run and the breaker test: a loop timer, so the
 * catalog itself stays responsive while its answers are late (a slow dependency, not a stuck one).
 * On start it creates its table if missing and seeds three products.
 *
 * <p>Environment: PORT (8081), PG* (libpq's names; PGDATABASE default postgres), LOOPS,
 * CATALOG_DELAY_MS.
 *
 * <p><b>Threading:</b> {@code main} sets up; every handler runs on its request's loop and never
 * blocks; the delay is an atomic any loop reads.
 */
public final class Catalog {
    /** A product, as stored and as served. */
    public record Product(int id, String name, long priceCents) {
    }

    private final PgClient pg;
    private final AtomicLong delayMs;

    private Catalog(PgClient pg, long delayMs) {
        this.pg = pg;
        this.delayMs = new AtomicLong(delayMs);
    }

    public static void main(String[] args) {
        ShopLog log = ShopLog.start("catalog");
        HttpServer server = HttpServer.create(Env.loops(), HttpOptions.defaults());
        PgClient pg = PgClient.create(server.group(), Env.pg());
        Catalog catalog = new Catalog(pg, Env.integer("CATALOG_DELAY_MS", 0));
        Tracing.install(server, log);
        server.get("/healthz", (req, res) -> res.end("ok\n"));
        server.get("/products/:id", catalog::product);
        server.get("/products", catalog::list);
        server.post("/admin/delay", catalog::setDelay);
        schema(pg).onSuccess(v -> {
            log.line("schema ready in database " + pg.options().database());
            // PostgreSQL connections close with the loops: the group asks them once the server drained.
            Env.listen(server, 8081, log, () -> { });
        }).onFailure(e -> Env.exit(log, "cannot prepare the products table in database " + pg.options().database()
                + ": " + e.getMessage()));
    }

    static Promise<?> schema(PgClient pg) {
        return pg.script("""
                CREATE TABLE IF NOT EXISTS products (
                    id integer PRIMARY KEY, name text NOT NULL, price_cents bigint NOT NULL);
                INSERT INTO products VALUES (1, 'Espresso cup', 1299), (2, 'Moka pot', 3499),
                    (3, 'Grinder', 8900) ON CONFLICT (id) DO NOTHING;
                """);
    }

    private void product(HttpRequest req, HttpResponse res) {
        int id;
        try {
            id = Integer.parseInt(req.param("id"));
        } catch (NumberFormatException e) {
            res.status(400).end("product id must be an integer\n");
            return;
        }
        later(req, res, () -> pg.query("SELECT id, name, price_cents FROM products WHERE id = $1", id)
                .onSuccess(rows -> {
                    if (rows.size() == 0) {
                        res.status(404).end("no product " + id + "\n");
                    } else {
                        Json.send(res, product(rows.first()));
                    }
                })
                .onFailure(e -> fail(req, res, e)));
    }

    private void list(HttpRequest req, HttpResponse res) {
        later(req, res, () -> pg.query("SELECT id, name, price_cents FROM products ORDER BY id")
                .onSuccess(rows -> {
                    List<Product> all = new ArrayList<>();
                    for (Row r : rows) {
                        all.add(product(r));
                    }
                    Json.send(res, all);
                })
                .onFailure(e -> fail(req, res, e)));
    }

    private void setDelay(HttpRequest req, HttpResponse res) {
        String ms = req.queryParam("ms");
        long v;
        try {
            v = Long.parseLong(ms == null ? "" : ms);
        } catch (NumberFormatException e) {
            res.status(400).end("ms must be a number of milliseconds\n");
            return;
        }
        if (v < 0 || v > 600_000) {
            res.status(400).end("ms must be between 0 and 600000\n");
            return;
        }
        long old = delayMs.getAndSet(v);
        Tracing.note(req, "delay " + old + "ms -> " + v + "ms");
        Json.send(res, Map.of("delayMs", v, "was", old));
    }

    /** Runs {@code work} now, or after the configured delay on the request's loop (never blocking it). */
    private void later(HttpRequest req, HttpResponse res, Runnable work) {
        long d = delayMs.get();
        if (d <= 0) {
            work.run();
            return;
        }
        Tracing.note(req, "delayed " + d + "ms");
        req.loop().setTimeout(d, () -> {
            if (!res.isClosed()) { // the caller may have given up (its timeout) and closed
                work.run();
            }
        });
    }

    private static Product product(Row r) {
        return new Product(r.getInteger(0), r.getString(1), r.getLong(2));
    }

    private static void fail(HttpRequest req, HttpResponse res, Throwable e) {
        Tracing.note(req, "error=" + e.getClass().getSimpleName());
        if (!res.isCommitted() && !res.isClosed()) {
            res.status(503).header("Retry-After", "1").end("database unavailable\n");
        }
    }
}
