package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through PgBouncer in transaction mode (Debian's pgbouncer, installed with apt-get when missing,
 * started on a free port with its own configuration, stopped by PID). PgBouncer before 1.21 keeps no
 * prepared statements across transactions, so the client runs unnamed statements
 * ({@code statementCacheSize(0)}); a cached client must still answer, by re-preparing statements
 * the server no longer has (26000, sent again once).
 */
class PgBouncerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static String db;
    static Path dir;
    static Process bouncer;
    static int port;
    static LoopGroup group;

    @BeforeAll
    static void setUp() throws Exception {
        db = PgTesting.createDatabase("evbouncer");
        if (PgTesting.run(List.of("bash", "-c", "command -v pgbouncer"), 10) != 0) {
            PgTesting.run(List.of("bash", "-c", "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq pgbouncer"
                    + " || (apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get "
                    + "-o DPkg::Lock::Timeout=600 install -y -qq pgbouncer)"), 600);
        }
        assertThat(PgTesting.run(List.of("bash", "-c", "command -v pgbouncer"), 10))
                .as("pgbouncer is not installed and apt-get could not install it").isZero();
        dir = Files.createTempDirectory("evpgb", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // pgbouncer runs as postgres
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("users.txt"), "\"postgres\" \"\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                db + " = host=127.0.0.1 port=5432 dbname=" + db,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + dir.resolve("users.txt"),
                "pool_mode = transaction",
                "default_pool_size = 4",
                "ignore_startup_parameters = extra_float_digits",
                "logfile = " + dir.resolve("pgbouncer.log"),
                ""));
        bouncer = new ProcessBuilder("pgbouncer", "-u", "postgres", dir.resolve("pgbouncer.ini").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!listening() && System.nanoTime() < deadline) {
            assertThat(bouncer.isAlive()).as("pgbouncer exited: " + Files.readString(dir.resolve("stdout.log"))).isTrue();
            Thread.yield(); // polling for the port, not timing
        }
        assertThat(listening()).as("pgbouncer listening on " + port).isTrue();
        group = LoopGroup.create(1);
    }

    private static boolean listening() {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (group != null) {
                group.close(Duration.ofSeconds(5)).join();
            }
        } finally {
            if (bouncer != null) {
                bouncer.destroy(); // SIGTERM to this PID only
                if (!bouncer.waitFor(10, TimeUnit.SECONDS)) {
                    bouncer.destroyForcibly();
                }
            }
            PgTesting.dropDatabase(db);
        }
    }

    private static PgOptions through(int cache) {
        return PgTesting.options(db).port(port).statementCacheSize(cache).maxSize(2);
    }

    @Test
    void unnamedStatementsPipelinedAndTransactionsWorkInTransactionMode() {
        PgClient pg = PgClient.create(group, through(0));
        try {
            pg.script("CREATE TABLE t (id int PRIMARY KEY, v text)").join(WAIT);
            List<Promise<RowSet>> ps = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ps.add(pg.query("INSERT INTO t VALUES ($1, $2) RETURNING id", i, "v" + i));
            }
            assertThat(Promise.all(group.loop(0), ps).join(WAIT)).hasSize(200)
                    .allSatisfy(r -> assertThat(r.rowCount()).isEqualTo(1));
            Long n = pg.<Long>transaction(tx -> tx.query("DELETE FROM t WHERE id < $1", 100)
                    .flatMap(r -> tx.query("SELECT count(*) FROM t")).map(r -> r.first().getLong(0))).join(WAIT);
            assertThat(n).isEqualTo(100L);
            assertThat(pg.query("SELECT v FROM t WHERE id = $1", 150).join(WAIT).first().getString(0)).isEqualTo("v150");
        } finally {
            pg.close().join(WAIT);
        }
    }

    @Test
    void aCachedClientStillAnswersWhenStatementsVanishBetweenTransactions() {
        PgClient pg = PgClient.create(group, through(16));
        try {
            List<Promise<RowSet>> ps = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ps.add(pg.query("SELECT $1::int + 1", i));
            }
            List<RowSet> all = Promise.all(group.loop(0), ps).join(WAIT);
            for (int i = 0; i < 100; i++) {
                assertThat(all.get(i).first().getInteger(0)).isEqualTo(i + 1);
            }
        } finally {
            pg.close().join(WAIT);
        }
    }
}
