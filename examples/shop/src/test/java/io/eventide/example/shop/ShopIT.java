package io.eventide.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.core.LoopGroup;
import io.eventide.json.Json;
import io.eventide.pg.PgClient;
import io.eventide.pg.PgOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shop as it runs: catalog, orders and gateway, each a child JVM with its own log file, on the
 * real PostgreSQL (a database made for this run and dropped after) and the real RabbitMQ (a queue
 * named for this run and deleted after). One order is followed through the three logs by its
 * trace id; then the catalog is made slow and the gateway must answer from its fallback with the
 * breaker open, and recover once the catalog is quick again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern SPAN = Pattern.compile("trace=([0-9a-f]{32}) span=([0-9a-f]{16}) parent=(\\S+) (.*)");
    private static final HexFormat HEX = HexFormat.of();

    private static final String RUN = "shop_it_" + ProcessHandle.current().pid() + "_" + Long.toHexString(System.nanoTime());
    private static final String DATABASE = RUN;
    private static final String ADDRESS = "shop.orders." + RUN;
    private static Path logs;
    private static final List<Process> processes = new ArrayList<>();
    private static Service catalog;
    private static Service orders;
    private static Service gateway;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** A started service: its port and its log. */
    record Service(String name, Process process, Path log, int port) {
        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        List<String> lines() {
            try {
                return Files.readAllLines(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + log, e);
            }
        }
    }

    @BeforeAll
    static void startTheShop() throws IOException {
        requireListening(5432, "PostgreSQL", "start it: pg_ctlcluster <version> main start");
        requireListening(5672, "RabbitMQ", "start it: rabbitmq-server -detached");
        admin("CREATE DATABASE " + DATABASE);
        logs = Files.createDirectories(Path.of("target", "shop-it", RUN));
        Map<String, String> common = Map.of("PGHOST", "127.0.0.1", "PGPORT", "5432", "PGUSER", "postgres",
                "PGDATABASE", DATABASE, "SHOP_ORDERS_ADDRESS", ADDRESS, "LOOPS", "1", "PORT", "0");
        catalog = start("catalog", Catalog.class, common, Map.of());
        orders = start("orders", Orders.class, common, Map.of());
        gateway = start("gateway", Gateway.class, common, Map.of(
                "CATALOG_URL", catalog.url(""), "ORDERS_URL", orders.url(""),
                "GATEWAY_TIMEOUT_MS", "300", "BREAKER_FAILURES", "3", "BREAKER_OPEN_MS", "1500"));
        await("the orders service consuming " + ADDRESS, 60,
                () -> orders.lines().stream().anyMatch(l -> l.contains("consuming " + ADDRESS)));
    }

    @AfterAll
    static void stopTheShop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy(); // SIGTERM: each service drains and closes its clients
        }
        for (Process p : processes) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        try {
            RabbitTransport rabbit = RabbitTransport.create(RabbitOptions.defaults());
            try {
                rabbit.deleteQueue(ADDRESS);
            } finally {
                rabbit.close().join();
            }
        } finally {
            admin("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    @Test
    @Order(1)
    void oneTraceIdFollowsAnOrderThroughTheThreeLogs() throws Exception {
        String traceId = HEX.toHexDigits(ThreadLocalRandom.current().nextLong() | 1) + HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
        String clientSpan = HEX.toHexDigits(ThreadLocalRandom.current().nextLong() | 1);
        HttpResponse<String> placed = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/orders")))
                .header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":2,\"quantity\":3}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        JsonNode order = Json.mapper().readTree(placed.body());
        assertThat(order.get("traceId").asText()).isEqualTo(traceId);
        assertThat(order.get("totalCents").asLong()).isEqualTo(3 * 3499);
        assertThat(placed.headers().firstValue("traceresponse").orElse("")).contains(traceId);
        String orderId = order.get("orderId").asText();

        await("the order in the orders log", 60, () -> orders.lines().stream()
                .anyMatch(l -> l.contains("trace=" + traceId) && l.contains("order=" + orderId) && l.contains(" stored")));
        // The stored order carries the trace id that came over the bus (asked without a traceparent:
        // a new trace, so this request adds no line to the one being followed).
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/orders/" + orderId))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(stored.body()).get("traceId").asText()).isEqualTo(traceId);

        for (Service s : List.of(gateway, catalog)) {
            await("the trace in the " + s.name() + " log", 30, () -> s.lines().stream().anyMatch(l -> l.contains(traceId)));
        }
        Matcher g = only(gateway, traceId);
        Matcher c = only(catalog, traceId);
        Matcher o = only(orders, traceId);
        assertThat(g.group(3)).as("gateway's parent: the client's span").isEqualTo(clientSpan);
        assertThat(g.group(4)).startsWith("POST /orders 202").contains("order=" + orderId);
        assertThat(c.group(3)).as("catalog's parent: the gateway's span").isEqualTo(g.group(2));
        assertThat(c.group(4)).startsWith("GET /products/2 200");
        assertThat(o.group(3)).as("orders' parent: the gateway's span").isEqualTo(g.group(2));
        assertThat(o.group(4)).startsWith("consume " + ADDRESS).contains("order=" + orderId);
        assertThat(List.of(clientSpan, g.group(2), c.group(2), o.group(2))).as("one span per hop").doesNotHaveDuplicates();
    }

    @Test
    @Order(2)
    void aSlowCatalogOpensTheBreakerAndTheGatewayAnswersFromItsFallback() throws Exception {
        HttpResponse<String> fresh = get(gateway.url("/products/1"));
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(fresh.headers().firstValue("X-Shop-Fallback")).isEmpty();
        JsonNode before = breaker();
        try {
            assertThat(post(catalog.url("/admin/delay?ms=5000")).statusCode()).isEqualTo(200);
            // Each request is answered from the gateway's last good copy: the catalog's answer would
            // come 5 s later and without the fallback header. The first three time out (300 ms), the
            // breaker opens, and the rest are refused at once without calling the catalog.
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = get(gateway.url("/products/1"));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Shop-Fallback")).hasValue("stale");
                assertThat(Json.mapper().readTree(r.body()).get("name").asText()).isEqualTo("Espresso cup");
            }
            HttpResponse<String> order = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/orders")))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":1,\"quantity\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(order.statusCode()).as("no order at a stale price").isEqualTo(503);
            assertThat(order.headers().firstValue("Retry-After")).isPresent();

            JsonNode b = breaker().get("catalog");
            assertThat(b.get("state").asText()).isEqualTo("OPEN");
            assertThat(b.get("opens").asLong()).isGreaterThan(before.get("catalog").get("opens").asLong());
            assertThat(b.get("timeouts").asLong() - before.get("catalog").get("timeouts").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(b.get("rejectedOpen").asLong()).as("calls refused without reaching the catalog").isPositive();
            assertThat(gateway.lines()).anyMatch(l -> l.contains("GET /products/1 200") && l.contains("fallback=stale reason=timeout"));
            assertThat(gateway.lines()).anyMatch(l -> l.contains("GET /products/1 200") && l.contains("fallback=stale reason=open"));
        } finally {
            post(catalog.url("/admin/delay?ms=0"));
        }
        // Quick again: once the open time is up, a probe closes the breaker and answers are fresh.
        await("the breaker closing after the catalog recovered", 30, () -> {
            HttpResponse<String> r = get(gateway.url("/products/1"));
            return r.statusCode() == 200 && r.headers().firstValue("X-Shop-Fallback").isEmpty()
                    && breaker().get("catalog").get("state").asText().equals("CLOSED");
        });
    }

    // ---------------------------------------------------------------------------------------------

    private static Matcher only(Service s, String traceId) {
        List<Matcher> found = new ArrayList<>();
        for (String line : s.lines()) {
            Matcher m = SPAN.matcher(line);
            if (m.find() && m.group(1).equals(traceId)) {
                found.add(m);
            }
        }
        assertThat(found).as("lines of trace %s in the %s log %s", traceId, s.name(), s.log()).hasSize(1);
        return found.get(0);
    }

    private static JsonNode breaker() {
        try {
            return Json.mapper().readTree(get(gateway.url("/admin/breaker")).body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String url) {
        return exchange(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build());
    }

    private static HttpResponse<String> post(String url) {
        return exchange(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpResponse<String> exchange(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(req + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Service start(String name, Class<?> main, Map<String, String> common, Map<String, String> env)
            throws IOException {
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName())
                .redirectOutput(log.toFile())
                .redirectError(logs.resolve(name + ".err").toFile());
        pb.environment().putAll(common);
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        Service[] port = new Service[1];
        await(name + " listening (log " + log + ")", 60, () -> {
            if (!p.isAlive()) {
                fail(name + " exited with " + p.exitValue() + "; its log " + log + " and " + name + ".err say why");
            }
            try {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port[0] = new Service(name, p, log, Integer.parseInt(m.group(1)));
                        return true;
                    }
                }
            } catch (IOException e) {
                return false; // not written yet
            }
            return false;
        });
        return port[0];
    }

    private static void await(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + seconds + " s waiting for " + what);
            }
            try {
                Thread.sleep(50); // blocking-ok: polling other processes from the test thread, bounded above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    private static void requireListening(int port, String what, String hint) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        } catch (IOException e) {
            fail(what + " is not listening on 127.0.0.1:" + port + " (" + hint + "); the shop needs it");
        }
    }

    /** Runs one statement as the superuser on the postgres database, through eventide-pg. */
    private static void admin(String sql) {
        try (LoopGroup group = LoopGroup.create(1)) {
            PgClient pg = PgClient.create(group, PgOptions.defaults().host("127.0.0.1").port(5432)
                    .user("postgres").database("postgres"));
            try {
                pg.script(sql).join(Duration.ofSeconds(60));
            } finally {
                pg.close().join(Duration.ofSeconds(10));
            }
        }
    }
}
