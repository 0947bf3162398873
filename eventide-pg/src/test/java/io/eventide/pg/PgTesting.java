package io.eventide.pg;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL on 127.0.0.1:5432 for the tests: used when it answers, started (or installed
 * with apt-get and started) when it does not, else a clear failure: never a silent pass. Each test
 * class makes its own database with a unique name and drops it.
 */
final class PgTesting {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static volatile boolean checked;

    private PgTesting() {
    }

    /** Makes sure the server answers; starts or installs it if not. */
    static synchronized void ensureServer() {
        if (checked) {
            return;
        }
        if (!answers()) {
            String version = clusterVersion();
            if (version == null) {
                run(List.of("bash", "-c", "apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive "
                        + "apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql"), 600);
                version = clusterVersion();
            }
            if (version == null) {
                throw new IllegalStateException("PostgreSQL is not running on " + HOST + ":" + PORT
                        + " and could not be installed (apt-get install postgresql)");
            }
            startCluster();
        }
        if (!answers()) {
            throw new IllegalStateException("PostgreSQL does not answer on " + HOST + ":" + PORT);
        }
        checked = true;
    }

    static String clusterVersion() {
        try (var s = Files.list(Path.of("/etc/postgresql"))) {
            return s.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    static void startCluster() {
        run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", clusterVersion(), "main", "start"), 120);
        waitForServer(60_000);
    }

    static void waitForServer(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            try (Connection c = admin("postgres")) {
                if (c.isValid(5)) {
                    return;
                }
            } catch (SQLException e) {
                Thread.yield(); // not a timing dependence: polling for the server to accept
            }
        }
        throw new IllegalStateException("PostgreSQL did not come back within " + millis + " ms");
    }

    static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int run(List<String> cmd, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " did not finish within " + timeoutSeconds + " s");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return a JDBC connection as the superuser (trust on loopback) */
    static Connection admin(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + db, "postgres", "");
    }

    static void exec(String db, String sql) {
        try (Connection c = admin(db); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** @return the name of a new, empty database */
    static String createDatabase(String prefix) {
        ensureServer();
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        exec("postgres", "CREATE DATABASE " + name);
        return name;
    }

    static void dropDatabase(String name) {
        exec("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    static PgOptions options(String db) {
        return PgOptions.defaults().host(HOST).port(PORT).database(db).user("postgres");
    }
}
