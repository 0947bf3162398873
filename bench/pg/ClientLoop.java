import com.sun.management.OperatingSystemMXBean;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.pg.PgClient;
import io.eventide.pg.PgOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The client-only loop of bench/pg: QUERIES executions of {@code SELECT id, randomnumber FROM world
 * WHERE id = $1} kept CONCURRENCY in flight, through one client (eventide-pg on one loop,
 * vertx-pg-client on one event loop, pipelined with its prepared cache, or pgjdbc through HikariCP
 * on CONCURRENCY threads), all with CONNECTIONS connections. With --unseen F, that fraction of the
 * statements carry SQL text never sent before (a unique comment), the others the cached statement.
 * Prints one tab-separated line: client, concurrency, unseen, queries, seconds, queries/s, client
 * CPU µs per query (process CPU time over the measured part, all threads), p50 µs, p99 µs.
 *
 *   java -cp EVENTIDE_CP:bench/pg/peers/target/pg-peers.jar bench/pg/ClientLoop.java \
 *        --client eventide|vertx|jdbc --concurrency 256 --queries 10000 [--unseen 0.2] [--connections 4]
 *        [--warmup 20000]
 *
 * The warm-up runs the same mix first, so that the JIT has compiled the paths before CPU is counted
 * (process CPU time includes the compiler threads).
 */
public class ClientLoop {
    static final String SQL = "SELECT id, randomnumber FROM world WHERE id = $1";
    static final AtomicInteger UNIQUE = new AtomicInteger();

    interface Client {
        /** Issues one statement; calls done with its latency in ns (or -1 on failure), on any thread. */
        void run(boolean unseen, IntConsumer ignored, Runnable done);

        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String client = arg(args, "--client", "eventide");
        int conc = Integer.parseInt(arg(args, "--concurrency", "1"));
        int queries = Integer.parseInt(arg(args, "--queries", "10000"));
        double unseen = Double.parseDouble(arg(args, "--unseen", "0"));
        int conns = Integer.parseInt(arg(args, "--connections", "4"));
        int warmup = Integer.parseInt(arg(args, "--warmup", "20000")); // JIT settled before CPU is counted
        String host = env("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(env("PGPORT", "5432"));
        String db = env("PGDATABASE", "eventide_bench");
        String user = env("PGUSER", "postgres");
        String pw = env("PGPASSWORD", "");
        Driver d = switch (client) {
            case "eventide" -> new EventideDriver(host, port, db, user, pw, conns);
            case "vertx" -> new VertxDriver(host, port, db, user, pw, conns);
            case "jdbc" -> new JdbcDriver(host, port, db, user, pw, conns, conc);
            default -> throw new IllegalArgumentException("--client eventide|vertx|jdbc");
        };
        try {
            d.measure(warmup, conc, unseen); // JIT, connections, caches
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long[] lat = d.measure(queries, conc, unseen);
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            Arrays.sort(lat);
            System.out.printf("%s\t%d\t%.2f\t%d\t%.3f\t%.0f\t%.2f\t%.0f\t%.0f%n", client, conc, unseen, queries, wall / 1e9,
                    queries / (wall / 1e9), cpu / 1e3 / queries, lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3);
        } finally {
            d.close();
        }
    }

    static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    static String sql(boolean unseen, boolean jdbc) {
        String base = jdbc ? SQL.replace("$1", "?") : SQL;
        return unseen ? base + " /* unseen " + UNIQUE.incrementAndGet() + " */" : base;
    }

    /** Keeps {@code conc} statements in flight until {@code n} are done; returns their latencies. */
    abstract static class Driver {
        abstract void start(String sql, int id, java.util.function.LongConsumer done);

        abstract void close() throws Exception;

        long[] measure(int n, int conc, double unseen) throws InterruptedException {
            long[] lat = new long[n];
            AtomicInteger issued = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(1);
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                int i = issued.getAndIncrement();
                if (i >= n) {
                    return;
                }
                boolean u = ThreadLocalRandom.current().nextDouble() < unseen;
                long t = System.nanoTime();
                start(sql(u, this instanceof JdbcDriver), ThreadLocalRandom.current().nextInt(1, 10_001), ok -> {
                    lat[i] = System.nanoTime() - t;
                    if (finished.incrementAndGet() == n) {
                        all.countDown();
                    } else {
                        next[0].run();
                    }
                });
            };
            kick(conc, next[0]);
            if (!all.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("not finished within 10 minutes");
            }
            return lat;
        }

        /** Starts the first {@code conc} statements (on the client's own thread where it has one). */
        abstract void kick(int conc, Runnable next);
    }

    static final class EventideDriver extends Driver {
        final LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(1).build());
        final EventLoop loop = group.loop(0);
        final PgClient pg;

        EventideDriver(String host, int port, String db, String user, String pw, int conns) {
            pg = PgClient.create(group, PgOptions.defaults().host(host).port(port).database(db).user(user)
                    .password(pw.isEmpty() ? null : pw).maxSize(conns));
        }

        @Override
        void start(String sql, int id, java.util.function.LongConsumer done) {
            pg.query(sql, id).whenComplete((rs, e) -> {
                if (e == null) {
                    rs.first().getInteger(1);
                }
                done.accept(e == null ? 1 : -1);
            });
        }

        @Override
        void kick(int conc, Runnable next) {
            loop.execute(() -> {
                for (int i = 0; i < conc; i++) {
                    next.run();
                }
            });
        }

        @Override
        void close() {
            pg.close().join(Duration.ofSeconds(10));
            group.close(Duration.ofSeconds(5)).join();
        }
    }

    static final class VertxDriver extends Driver {
        final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(false));
        final SqlClient db;
        final io.vertx.core.Context ctx;

        VertxDriver(String host, int port, String db, String user, String pw, int conns) {
            PgConnectOptions connect = new PgConnectOptions().setHost(host).setPort(port).setDatabase(db).setUser(user)
                    .setPassword(pw).setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(256)
                    .setPipeliningLimit(256);
            this.db = PgBuilder.client().with(new PoolOptions().setMaxSize(conns)).connectingTo(connect).using(vertx).build();
            this.ctx = vertx.getOrCreateContext();
        }

        @Override
        void start(String sql, int id, java.util.function.LongConsumer done) {
            db.preparedQuery(sql).execute(Tuple.of(id)).onComplete(ar -> {
                if (ar.succeeded()) {
                    ar.result().iterator().next().getInteger(1);
                }
                done.accept(ar.succeeded() ? 1 : -1);
            });
        }

        @Override
        void kick(int conc, Runnable next) {
            ctx.runOnContext(v -> {
                for (int i = 0; i < conc; i++) {
                    next.run();
                }
            });
        }

        @Override
        void close() {
            vertx.close().await();
        }
    }

    static final class JdbcDriver extends Driver {
        final com.zaxxer.hikari.HikariDataSource ds;
        final ExecutorService threads;

        JdbcDriver(String host, int port, String db, String user, String pw, int conns, int conc) {
            com.zaxxer.hikari.HikariConfig cfg = new com.zaxxer.hikari.HikariConfig();
            cfg.setJdbcUrl("jdbc:postgresql://" + host + ":" + port + "/" + db);
            cfg.setUsername(user);
            cfg.setPassword(pw);
            cfg.setMaximumPoolSize(conns);
            cfg.setMinimumIdle(conns);
            ds = new com.zaxxer.hikari.HikariDataSource(cfg);
            threads = Executors.newFixedThreadPool(conc);
        }

        @Override
        void start(String sql, int id, java.util.function.LongConsumer done) {
            long ok;
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rs.getInt(2);
                }
                ok = 1;
            } catch (Exception e) {
                ok = -1;
            }
            done.accept(ok); // runs the next statement on this thread: one loop per worker thread
        }

        @Override
        void kick(int conc, Runnable next) {
            for (int i = 0; i < conc; i++) {
                threads.execute(() -> {
                    // Each thread runs statements one after another; next.run() recurses through done,
                    // so unwind it into a loop here.
                    next.run();
                });
            }
        }

        @Override
        long[] measure(int n, int conc, double unseen) throws InterruptedException {
            long[] lat = new long[n];
            AtomicInteger issued = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(conc);
            for (int w = 0; w < conc; w++) {
                threads.execute(() -> {
                    for (int i = issued.getAndIncrement(); i < n; i = issued.getAndIncrement()) {
                        boolean u = ThreadLocalRandom.current().nextDouble() < unseen;
                        long t = System.nanoTime();
                        int idx = i;
                        start(sql(u, true), ThreadLocalRandom.current().nextInt(1, 10_001), ok -> lat[idx] = System.nanoTime() - t);
                    }
                    all.countDown();
                });
            }
            if (!all.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("not finished within 10 minutes");
            }
            return lat;
        }

        @Override
        void close() {
            threads.shutdownNow();
            ds.close();
        }
    }
}
