package io.eventide.example.shop;

import io.eventide.core.LoopGroup;
import io.eventide.http.HttpServer;
import io.eventide.pg.PgOptions;
import java.time.Duration;

/**
 * What the three apps read from the environment, with the defaults {@code run.sh} uses, and what
 * they share at start and stop.
 *
 * <p><b>Threading:</b> call from {@code main}, before serving.
 */
final class Env {
    private Env() {
    }

    static String text(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v.strip();
    }

    static int integer(String name, int dflt) {
        String v = text(name, null);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, not '" + v + "'", e);
        }
    }

    /** @return PostgreSQL from PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD (libpq's names) */
    static PgOptions pg() {
        return PgOptions.fromEnv().maxSize(integer("PG_POOL", 4));
    }

    /** @return the bus address orders travel on: SHOP_ORDERS_ADDRESS, default {@code shop.orders} */
    static String ordersAddress() {
        return text("SHOP_ORDERS_ADDRESS", "shop.orders");
    }

    /** @return the app's loops: $LOOPS of them, default one per core */
    static LoopGroup loops() {
        int n = integer("LOOPS", 0);
        return n > 0 ? LoopGroup.create(n) : LoopGroup.create();
    }

    /**
     * Logs {@code message} and exits with status 1, from a thread of its own: {@code flush()} waits
     * for the log's writer, and {@code System.exit} runs the exit hook of {@link #listen}, which waits
     * for the loop group to close, which it never would while one of its loops waits here. Any thread.
     */
    static void exit(ShopLog log, String message) {
        log.line(message);
        Thread.ofPlatform().name("shop-exit").start(() -> {
            log.flush();
            System.exit(1);
        });
    }

    /**
     * Listens on $HOST:$PORT (default 127.0.0.1; port 0: any free one), then announces it in the
     * log: run.sh and the integration test wait for that line. Exits the process if the port cannot
     * be bound. On SIGTERM or Ctrl-C: runs {@code onStop} (close broker clients), waits for the loop
     * group's graceful close (the server drains), flushes the log.
     */
    static void listen(HttpServer server, int dfltPort, ShopLog log, Runnable onStop) {
        int port = integer("PORT", dfltPort);
        server.listen(Env.text("HOST", "127.0.0.1"), port)
                .onSuccess(s -> log.line("listening on http://" + s.host() + ":" + s.port() + " pid "
                        + ProcessHandle.current().pid()))
                .onFailure(e -> exit(log, "cannot listen on port " + port + ": " + e.getMessage()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Exit hook (SIGTERM, Ctrl-C): no loop runs this thread, so it may wait. Eventide's own
            // hook closes the loop group at the same time: servers stop accepting and drain. Here the
            // broker clients stop first (no new message mid-drain), then this waits for the group
            // and flushes the log. Once the server has drained, the group asks the PostgreSQL
            // connections to finish (they say Terminate), so the stop does not wait for a deadline.
            log.line("stopping: draining in-flight requests");
            try {
                onStop.run();
            } catch (RuntimeException e) {
                log.line("stopping: " + e);
            }
            server.group().close(Duration.ofSeconds(10)).join(); // blocking-ok: exit hook thread
            log.line("stopped");
            log.flush();
        }, "shop-exit"));
    }
}
