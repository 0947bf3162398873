package io.eventide.lab.servers;

import static io.eventide.http.blocking.Blocking.blocking;

import io.eventide.demo.Workload;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The blocking-routes workload (issue 14): one blocking call served three ways, so the lab can
 * put them side by side.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>the blocking call</th></tr>
 *   <tr><td>{@code GET /blocking/sleep/VARIANT?ms=N}</td><td>{@code Thread.sleep(N)}</td></tr>
 *   <tr><td>{@code GET /blocking/jdbc/VARIANT?id=N}</td><td>a one-row lookup through pgjdbc that
 *       also spends {@value #JDBC_SLEEP_MS} ms in the database ({@code pg_sleep})</td></tr>
 * </table>
 *
 * <pre>
 *   VARIANT = loop      the handler blocks its event loop (the anti-pattern: every other
 *                       connection of that loop waits, timers fire late)
 *             offload   loop.offload(...): the worker pool (max(4, cores) threads) blocks, the
 *                       promise settles on the loop
 *             virtual   blocking(...): a virtual thread per request, the loop writes the answer
 * </pre>
 *
 * <p>Installed only when {@value #ENABLE_ENV} is {@code 1}, as the blocking workload sets it: a
 * {@code blocking(...)} route starts the in-process JFR stream that detects pinned carriers, which
 * the other workloads' measurements of the same server must not pay for.
 *
 * <p>The JDBC routes need {@value #PG_URL_ENV} (a JDBC URL) and {@value #PG_TABLE_ENV} (a table
 * with {@code id int} and {@code message text}, made by the lab); without them they answer 503.
 * Connections come from a fixed pool of {@value #POOL_SIZE}, opened at start, shared by the three
 * variants; a caller waits for a free one (a virtual thread unmounts while it waits). A connection
 * the server lost (PostgreSQL restarted, the backend terminated) is replaced and the query tried
 * once more on the new one, so a database restart costs a few failed requests, not the run.
 *
 * <p><b>Threading:</b> {@link #install} before the server listens, from one thread; the handlers
 * run on the loops, the workers or virtual threads, as their variant says.
 */
public final class BlockingRoutes {
    /** Environment variable: {@code 1} installs the routes; the other workloads' servers go without them. */
    public static final String ENABLE_ENV = "LAB_BLOCKING_ROUTES";
    /** Environment variable: the JDBC URL of the lab's database. */
    public static final String PG_URL_ENV = "LAB_PG_URL";
    /** Environment variable: the table the lookup reads. */
    public static final String PG_TABLE_ENV = "LAB_PG_TABLE";
    /** Database connections the JDBC routes share. */
    public static final int POOL_SIZE = 16;
    /** Time the lookup spends in the database, ms ({@code pg_sleep}). */
    public static final int JDBC_SLEEP_MS = 10;
    /** Rows in the lab's table; ids are 1 to this. */
    public static final int ROWS = 1_000;

    private final String url;
    private final BlockingQueue<Connection> pool;
    private final String sql;
    private final String unavailable;

    private BlockingRoutes(String url, BlockingQueue<Connection> pool, String sql, String unavailable) {
        this.url = url;
        this.pool = pool;
        this.sql = sql;
        this.unavailable = unavailable;
    }

    /**
     * Installs the six routes when {@value #ENABLE_ENV} is {@code 1}; opens the database pool when
     * the environment names a database.
     *
     * @param app the server
     */
    public static void install(HttpServer app) {
        if (!"1".equals(System.getenv(ENABLE_ENV))) {
            return;
        }
        String url = System.getenv(PG_URL_ENV);
        String table = System.getenv(PG_TABLE_ENV);
        BlockingRoutes r;
        if (url == null || table == null) {
            r = new BlockingRoutes(null, null, null, "no database: " + PG_URL_ENV + " and " + PG_TABLE_ENV + " are not set");
        } else if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException(PG_TABLE_ENV + " is not a plain table name: " + table);
        } else {
            BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(POOL_SIZE);
            try {
                for (int i = 0; i < POOL_SIZE; i++) {
                    pool.add(DriverManager.getConnection(url)); // blocking-ok: main thread at startup
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to " + url + ": " + e.getMessage(), e);
            }
            r = new BlockingRoutes(url, pool, "SELECT t.message FROM " + table + " t, pg_sleep(?) WHERE t.id = ?", null);
        }
        r.routes(app);
    }

    private void routes(HttpServer app) {
        app.get("/blocking/sleep/loop", (req, res) -> {
            long ms = millis(req.queryParam("ms"));
            // The anti-pattern this workload measures: a blocking call on the loop thread.
            sleep(ms); // blocking-ok: deliberately on the loop, to measure what that costs
            res.end(slept(ms, "loop"));
        });
        app.get("/blocking/sleep/offload", (req, res) -> {
            long ms = millis(req.queryParam("ms"));
            req.loop().offload(() -> {
                sleep(ms); // blocking-ok: a worker thread
                return ms;
            }).onSuccess(v -> res.end(slept(ms, "worker"))).onFailure(e -> res.sendError(503, "workers busy"));
        });
        app.get("/blocking/sleep/virtual", blocking((req, res) -> {
            long ms = millis(req.queryParam("ms"));
            sleep(ms); // blocking-ok: a virtual thread
            res.end(slept(ms, "virtual thread"));
        }));
        app.get("/blocking/jdbc/loop", (req, res) -> {
            if (unavailable != null) {
                res.sendError(503, unavailable);
                return;
            }
            // The anti-pattern again: JDBC on the loop thread.
            res.end(lookup(id(req))); // blocking-ok: deliberately on the loop, to measure what that costs
        });
        app.get("/blocking/jdbc/offload", (req, res) -> {
            if (unavailable != null) {
                res.sendError(503, unavailable);
                return;
            }
            int id = id(req);
            req.loop().offload(() -> lookup(id)).onSuccess(res::end)
                    .onFailure(e -> res.sendError(503, "lookup failed: " + e.getMessage()));
        });
        app.get("/blocking/jdbc/virtual", blocking((req, res) -> {
            if (unavailable != null) {
                res.sendError(503, unavailable);
                return;
            }
            res.end(lookup((int) Workload.parse(req.queryParam("id"), 1)));
        }));
    }

    private static int id(HttpRequest req) {
        return (int) Workload.parse(req.queryParam("id"), 1);
    }

    private static long millis(String param) {
        return Math.min(10_000, Workload.parse(param, 20));
    }

    private static String slept(long ms, String where) {
        return "slept " + ms + " ms on a " + where + "\n";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // blocking-ok: callers say where it runs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The one-row lookup; blocks the calling thread for the query and while waiting for a connection. */
    private String lookup(int id) {
        Connection c;
        try {
            c = pool.take(); // blocking-ok: callers say where it runs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        try {
            try {
                return query(c, id);
            } catch (SQLException e) {
                if (!broken(c)) {
                    throw e;
                }
                close(c);
                c = DriverManager.getConnection(url); // blocking-ok: callers say where it runs
                return query(c, id);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("lookup of row " + id + " failed: " + e.getMessage(), e);
        } finally {
            pool.add(c); // a closed one too: its next user replaces it
        }
    }

    private String query(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setDouble(1, JDBC_SLEEP_MS / 1000.0);
            ps.setInt(2, 1 + Math.floorMod(id - 1, ROWS));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) + "\n" : "no row\n";
            }
        }
    }

    private static boolean broken(Connection c) {
        try {
            return c.isClosed() || !c.isValid(2);
        } catch (SQLException e) {
            return true;
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Already gone: that is why it is being replaced.
        }
    }
}
