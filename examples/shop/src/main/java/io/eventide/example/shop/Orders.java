package io.eventide.example.shop;

import io.eventide.bus.Bus;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Delivery;
import io.eventide.bus.Message;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.core.Promise;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.HttpServer;
import io.eventide.http.TraceContext;
import io.eventide.json.Json;
import io.eventide.pg.PgClient;
import io.eventide.pg.Row;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The orders service: takes the orders the gateway sends on the bus (a RabbitMQ quorum queue),
 * stores them in PostgreSQL, and serves them.
 *
 * <pre>
 *   bus  "shop.orders"   {@link OrderPlaced} + traceparent header ─► INSERT (idempotent) ─► ack
 *   GET  /orders/:id     {"id":"...","productId":1,"quantity":2,"totalCents":2598,"traceId":"...","status":"placed"}, or 404
 *   GET  /healthz        200 once listening
 * </pre>
 *
 * <p>A message is acknowledged once its row is stored: a crash in between redelivers it, and the
 * insert ignores an order it already has (the id is the gateway's). Each message is a span of the
 * sender's trace, logged like a request: {@code trace=… span=… parent=… consume shop.orders order=…}.
 *
 * <p>Environment: PORT (8082), PG*, RABBITMQ_HOST (127.0.0.1), RABBITMQ_PORT (5672), LOOPS,
 * SHOP_ORDERS_ADDRESS (shop.orders).
 *
 * <p><b>Threading:</b> {@code main} sets up; the consumer and the handlers run on loops and never
 * block.
 */
public final class Orders {
    /**
     * What the gateway sends: the order, priced from the catalog.
     *
     * @param id the order id (a UUID the gateway chose)
     * @param productId the product
     * @param quantity how many
     * @param totalCents quantity times the catalog's price
     */
    public record OrderPlaced(String id, int productId, int quantity, long totalCents) {
    }

    /** An order as served. */
    public record Order(String id, int productId, int quantity, long totalCents, String traceId, String status) {
    }

    private Orders() {
    }

    public static void main(String[] args) {
        ShopLog log = ShopLog.start("orders");
        HttpServer server = HttpServer.create(Env.loops(), HttpOptions.defaults());
        PgClient pg = PgClient.create(server.group(), Env.pg());
        RabbitTransport rabbit = RabbitTransport.create(rabbit());
        Bus bus = Bus.create(server.group()).bridge(Env.ordersAddress(), rabbit);
        Tracing.install(server, log);
        server.get("/healthz", (req, res) -> res.end("ok\n"));
        server.get("/orders/:id", (req, res) -> order(pg, req, res));
        schema(pg).onSuccess(v -> {
            log.line("schema ready in database " + pg.options().database());
            String address = Env.ordersAddress();
            bus.consume(server.group().next(), address, ConsumerOptions.defaults().credit(32),
                    d -> store(pg, log, d));
            log.line("consuming " + address + " on " + rabbit.name());
            // blocking-ok: onStop runs on the exit hook's thread, never on a loop
            Env.listen(server, 8082, log, () -> bus.closeAsync().orTimeout(5, TimeUnit.SECONDS).join());
        }).onFailure(e -> Env.exit(log, "cannot prepare the orders table in database " + pg.options().database()
                + ": " + e.getMessage()));
    }

    static RabbitOptions rabbit() {
        return RabbitOptions.defaults().address(Env.text("RABBITMQ_HOST", "127.0.0.1"), Env.integer("RABBITMQ_PORT", 5672));
    }

    static Promise<?> schema(PgClient pg) {
        return pg.script("""
                CREATE TABLE IF NOT EXISTS orders (
                    id uuid PRIMARY KEY, product_id integer NOT NULL, quantity integer NOT NULL,
                    total_cents bigint NOT NULL, trace_id text NOT NULL, placed_at timestamptz NOT NULL DEFAULT now());
                """);
    }

    private static Promise<?> store(PgClient pg, ShopLog log, Delivery d) {
        long start = System.nanoTime();
        Message m = d.message();
        TraceContext span = Tracing.continueFrom(m);
        String head = Tracing.fields(span, Tracing.parentOf(m)) + " consume " + d.address();
        OrderPlaced o;
        try {
            o = m.json(OrderPlaced.class);
            UUID.fromString(o.id());
        } catch (RuntimeException e) {
            // A message that can never be stored is logged and acknowledged, not redelivered forever.
            log.line(head + " rejected: not an order (" + e.getClass().getSimpleName() + ")");
            return Promise.resolved(d.loop(), null);
        }
        return pg.query("INSERT INTO orders (id, product_id, quantity, total_cents, trace_id) VALUES ($1, $2, $3, $4, $5) "
                        + "ON CONFLICT (id) DO NOTHING",
                        UUID.fromString(o.id()), o.productId(), o.quantity(), o.totalCents(), span.traceId())
                .whenComplete((rows, e) -> log.line(head + " order=" + o.id() + " product=" + o.productId()
                        + " qty=" + o.quantity() + (d.redelivered() ? " redelivered" : "")
                        + (e == null ? " stored" : " not stored, will be redelivered: " + e.getMessage())
                        + " " + Tracing.ms(System.nanoTime() - start)));
    }

    private static void order(PgClient pg, HttpRequest req, HttpResponse res) {
        UUID id;
        try {
            id = UUID.fromString(req.param("id"));
        } catch (IllegalArgumentException e) {
            res.status(400).end("order id must be a UUID\n");
            return;
        }
        pg.query("SELECT id, product_id, quantity, total_cents, trace_id FROM orders WHERE id = $1", id)
                .onSuccess(rows -> {
                    if (rows.size() == 0) {
                        res.status(404).end("no order " + id + " (yet)\n");
                        return;
                    }
                    Row r = rows.first();
                    Json.send(res, new Order(r.getUuid(0).toString(), r.getInteger(1), r.getInteger(2),
                            r.getLong(3), r.getString(4), "placed"));
                })
                .onFailure(e -> {
                    Tracing.note(req, "error=" + e.getClass().getSimpleName());
                    res.status(503).header("Retry-After", "1").end("database unavailable\n");
                });
    }
}
