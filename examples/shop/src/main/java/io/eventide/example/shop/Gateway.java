package io.eventide.example.shop;

import io.eventide.bus.Bus;
import io.eventide.bus.Message;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import io.eventide.http.HttpException;
import io.eventide.http.HttpOptions;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.HttpServer;
import io.eventide.http.client.ClientOptions;
import io.eventide.http.client.HttpClient;
import io.eventide.json.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway: the shop's front door. It calls the catalog over HTTP and hands orders to the
 * orders service over the bus, continuing the caller's trace on every hop.
 *
 * <pre>
 *   GET  /products/:id   ─► catalog GET /products/:id      (timeout, breaker, bulkhead; fallback: last good copy)
 *   POST /orders         ─► catalog (price) ─► bus send "shop.orders" ─► 202 {"orderId":...}
 *                           {"productId":1,"quantity":2}
 *   GET  /orders/:id     ─► orders GET /orders/:id          (timeout, breaker)
 *   GET  /admin/breaker  the breakers' state and counters
 *   GET  /healthz        200 once listening
 * </pre>
 *
 * <p><b>When the catalog is slow.</b> Each catalog call waits at most $GATEWAY_TIMEOUT_MS; after
 * $BREAKER_FAILURES failures in a row the breaker opens and calls fail at once for
 * $BREAKER_OPEN_MS, then one probe tests the catalog again. A product request that fails is
 * answered from the last copy the gateway saw (200 with {@code X-Shop-Fallback: stale}), else 503
 * with {@code Retry-After}; an order is refused with 503 (never sold at a price that may be stale).
 * So the gateway's latency is bounded by the timeout while the breaker learns, and by nothing but
 * its own work once it is open.
 *
 * <p>Environment: PORT (8080), CATALOG_URL (http://127.0.0.1:8081), ORDERS_URL
 * (http://127.0.0.1:8082), GATEWAY_TIMEOUT_MS (250), BREAKER_FAILURES (5), BREAKER_OPEN_MS (2000),
 * BULKHEAD (64 calls in flight per dependency), RABBITMQ_HOST, RABBITMQ_PORT, SHOP_ORDERS_ADDRESS,
 * LOOPS.
 *
 * <p><b>Threading:</b> {@code main} sets up; handlers run on their request's loop and never block.
 * The breakers and the fallback cache are shared by the loops and safe for any thread.
 */
public final class Gateway {
    /** The body of {@code POST /orders}. */
    public record OrderRequest(int productId, int quantity) {
    }

    /** A dependency's answer, aggregated. */
    record Reply(int status, String contentType, String body) {
    }

    static final int MAX_CACHED = 10_000;

    private final HttpClient client;
    private final Bus bus;
    private final String catalogUrl;
    private final String ordersUrl;
    private final String ordersAddress;
    private final CircuitBreaker catalog;
    private final CircuitBreaker orders;
    private final Map<Integer, String> lastGood = new ConcurrentHashMap<>();
    private final AtomicLong fallbacks = new AtomicLong();

    private Gateway(HttpClient client, Bus bus, String ordersAddress) {
        this.client = client;
        this.bus = bus;
        this.ordersAddress = ordersAddress;
        this.catalogUrl = Env.text("CATALOG_URL", "http://127.0.0.1:8081");
        this.ordersUrl = Env.text("ORDERS_URL", "http://127.0.0.1:8082");
        Duration timeout = Duration.ofMillis(Env.integer("GATEWAY_TIMEOUT_MS", 250));
        Duration openFor = Duration.ofMillis(Env.integer("BREAKER_OPEN_MS", 2000));
        int failures = Env.integer("BREAKER_FAILURES", 5);
        int bulkhead = Env.integer("BULKHEAD", 64);
        this.catalog = new CircuitBreaker("catalog", timeout, bulkhead, failures, openFor, System::nanoTime);
        this.orders = new CircuitBreaker("orders", timeout, bulkhead, failures, openFor, System::nanoTime);
    }

    public static void main(String[] args) {
        ShopLog log = ShopLog.start("gateway");
        HttpServer server = HttpServer.create(Env.loops(), HttpOptions.defaults());
        Duration timeout = Duration.ofMillis(Env.integer("GATEWAY_TIMEOUT_MS", 250));
        HttpClient client = HttpClient.create(server.group(), ClientOptions.builder()
                .connectTimeout(timeout).headTimeout(timeout).userAgent("shop-gateway").build());
        String address = Env.ordersAddress();
        RabbitTransport rabbit = RabbitTransport.create(Orders.rabbit());
        Bus bus = Bus.create(server.group()).bridge(address, rabbit);
        Gateway g = new Gateway(client, bus, address);
        Tracing.install(server, log);
        server.get("/healthz", (req, res) -> res.end("ok\n"));
        server.get("/products/:id", g::product);
        server.post("/orders", g::placeOrder);
        server.get("/orders/:id", g::order);
        server.get("/admin/breaker", (req, res) -> Json.send(res, g.breakers()));
        log.line("catalog " + g.catalogUrl + ", orders " + g.ordersUrl + " and bus " + address + " on "
                + rabbit.name() + "; timeout " + timeout.toMillis() + "ms, breaker opens after "
                + Env.integer("BREAKER_FAILURES", 5)
                + " failures for " + g.catalog.openFor().toMillis() + "ms");
        // blocking-ok: onStop runs on the exit hook's thread, never on a loop
        Env.listen(server, 8080, log, () -> bus.closeAsync().orTimeout(5, TimeUnit.SECONDS).join());
    }

    private void product(HttpRequest req, HttpResponse res) {
        int id;
        try {
            id = Integer.parseInt(req.param("id"));
        } catch (NumberFormatException e) {
            res.status(400).end("product id must be an integer\n");
            return;
        }
        fetchProduct(req, id).whenComplete((r, e) -> {
            if (e == null && r.status() < 500) {
                pass(res, r);
                return;
            }
            String stale = lastGood.get(id);
            fallbacks.incrementAndGet();
            Tracing.note(req, "fallback=" + (stale == null ? "503" : "stale") + " reason=" + reason(r, e));
            if (stale != null) {
                res.header("X-Shop-Fallback", "stale").contentType("application/json").end(stale);
            } else {
                unavailable(res, "catalog");
            }
        });
    }

    /** The catalog's answer for one product, through the breaker; a good one is kept for fallbacks. */
    private Promise<Reply> fetchProduct(HttpRequest req, int id) {
        return get(catalog, req, catalogUrl + "/products/" + id).onSuccess(r -> {
            if (r.status() == 200 && (lastGood.size() < MAX_CACHED || lastGood.containsKey(id))) {
                lastGood.put(id, r.body());
            }
        });
    }

    private void placeOrder(HttpRequest req, HttpResponse res) {
        Json.read(req, OrderRequest.class).whenComplete((o, e) -> {
            if (e != null) {
                HttpException h = e instanceof HttpException x ? x : new HttpException(400, "bad order");
                res.status(h.status()).end(h.safeMessage() + "\n");
            } else if (o.productId() < 1 || o.quantity() < 1 || o.quantity() > 100) {
                res.status(400).end("an order needs a productId >= 1 and a quantity from 1 to 100\n");
            } else {
                price(req, res, o);
            }
        });
    }

    private void price(HttpRequest req, HttpResponse res, OrderRequest o) {
        fetchProduct(req, o.productId()).whenComplete((r, e) -> {
            if (e != null || r.status() >= 500) {
                Tracing.note(req, "refused=catalog reason=" + reason(r, e));
                unavailable(res, "catalog");
            } else if (r.status() == 404) {
                res.status(404).end("no product " + o.productId() + "\n");
            } else if (r.status() != 200) {
                res.status(502).end("catalog answered " + r.status() + "\n");
            } else {
                Catalog.Product p;
                try {
                    p = Json.mapper().readValue(r.body(), Catalog.Product.class);
                } catch (java.io.IOException x) {
                    res.status(502).end("catalog sent a product the gateway cannot read\n");
                    return;
                }
                send(req, res, new Orders.OrderPlaced(UUID.randomUUID().toString(), p.id(), o.quantity(),
                        p.priceCents() * o.quantity()));
            }
        });
    }

    private void send(HttpRequest req, HttpResponse res, Orders.OrderPlaced order) {
        Message m = Tracing.propagate(Message.json(order), req);
        bus.send(ordersAddress, m).whenComplete((v, e) -> {
            if (e != null) {
                Tracing.note(req, "order=" + order.id() + " not sent: " + e.getClass().getSimpleName());
                unavailable(res, "the order queue");
                return;
            }
            Tracing.note(req, "order=" + order.id() + " sent=" + ordersAddress);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("orderId", order.id());
            body.put("status", "accepted");
            body.put("productId", order.productId());
            body.put("quantity", order.quantity());
            body.put("totalCents", order.totalCents());
            body.put("traceId", Tracing.span(req).traceId());
            res.status(202).header("Location", "/orders/" + order.id());
            Json.send(res, body);
        });
    }

    private void order(HttpRequest req, HttpResponse res) {
        get(orders, req, ordersUrl + "/orders/" + req.param("id")).whenComplete((r, e) -> {
            if (e == null && r.status() < 500) {
                pass(res, r);
            } else {
                Tracing.note(req, "refused=orders reason=" + reason(r, e));
                unavailable(res, "orders");
            }
        });
    }

    /** GET through a breaker, with this hop's traceparent; the body aggregated. */
    private Promise<Reply> get(CircuitBreaker breaker, HttpRequest req, String url) {
        EventLoop loop = req.loop();
        return breaker.call(loop, () -> Tracing.propagate(client.request("GET", url), req).send()
                .flatMap(r -> r.bodyAsString().map(b -> new Reply(r.status(), r.header("Content-Type"), b))),
                r -> r.status() >= 500);
    }

    private static void pass(HttpResponse res, Reply r) {
        if (r.contentType() != null) {
            res.contentType(r.contentType());
        }
        res.status(r.status()).end(r.body());
    }

    private void unavailable(HttpResponse res, String what) {
        res.status(503).header("Retry-After", Long.toString(Math.max(1, catalog.openFor().toSeconds())))
                .end(what + " unavailable\n");
    }

    private static String reason(Reply r, Throwable e) {
        if (e == null) {
            return "status-" + r.status();
        }
        return e instanceof CircuitBreaker.OpenException ? "open"
                : e instanceof DeadlineExceededException ? "timeout"
                : e instanceof OverloadException ? "bulkhead"
                : e.getClass().getSimpleName();
    }

    private Map<String, Object> breakers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("catalog", catalog.stats());
        m.put("orders", orders.stats());
        m.put("fallbacks", fallbacks.get());
        return m;
    }
}
