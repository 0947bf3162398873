package bench.pg;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The TechEmpower routes thread-per-request: the JDK's HttpServer on a fixed pool of THREADS
 * platform threads (default 64), pgjdbc (server-prepared statements after prepareThreshold) through
 * HikariCP with PG_POOL connections. PORT, THREADS, PG_POOL.
 */
public final class JdbcServer {
    private JdbcServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = Env.getInt("PORT", 8080);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://" + Env.host() + ":" + Env.port() + "/" + Env.database());
        cfg.setUsername(Env.user());
        cfg.setPassword(Env.password());
        cfg.setMaximumPoolSize(Env.getInt("PG_POOL", 4));
        cfg.setMinimumIdle(Env.getInt("PG_POOL", 4));
        HikariDataSource ds = new HikariDataSource(cfg);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(Env.getInt("THREADS", 64)));
        server.createContext("/plaintext", ex -> send(ex, "text/plain", "Hello, World!"));
        server.createContext("/db", ex -> handle(ex, () -> {
            try (Connection c = ds.getConnection()) {
                int[] w = select(c);
                return Env.world(w[0], w[1]);
            }
        }, "application/json"));
        server.createContext("/queries", ex -> handle(ex, () -> {
            try (Connection c = ds.getConnection()) {
                return array(worlds(c, Env.count(ex.getRequestURI().getQuery())));
            }
        }, "application/json"));
        server.createContext("/updates", ex -> handle(ex, () -> {
            try (Connection c = ds.getConnection()) {
                List<int[]> ws = worlds(c, Env.count(ex.getRequestURI().getQuery()));
                for (int[] w : ws) {
                    w[1] = Env.randomId();
                }
                ws.sort(Comparator.comparingInt(w -> w[0]));
                try (PreparedStatement ps = c.prepareStatement("UPDATE world SET randomnumber = ? WHERE id = ?")) {
                    for (int[] w : ws) {
                        ps.setInt(1, w[1]);
                        ps.setInt(2, w[0]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return array(ws);
            }
        }, "application/json"));
        server.createContext("/fortunes", ex -> handle(ex, () -> {
            List<String[]> fortunes = new ArrayList<>();
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(Env.FORTUNES);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fortunes.add(new String[] {String.valueOf(rs.getInt(1)), rs.getString(2)});
                }
            }
            return Env.fortunesHtml(fortunes);
        }, "text/html; charset=utf-8"));
        server.start();
        System.out.println("JdbcServer: listening on port " + port + ", pid " + ProcessHandle.current().pid());
    }

    interface Body {
        String get() throws SQLException;
    }

    private static void handle(HttpExchange ex, Body body, String type) throws IOException {
        String out;
        try {
            out = body.get();
        } catch (SQLException e) {
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
        }
        send(ex, type, out);
    }

    private static void send(HttpExchange ex, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    private static int[] select(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, randomnumber FROM world WHERE id = ?")) {
            ps.setInt(1, Env.randomId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    private static List<int[]> worlds(Connection c, int n) throws SQLException {
        List<int[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(select(c));
        }
        return out;
    }

    private static String array(List<int[]> ws) {
        StringBuilder sb = new StringBuilder(ws.size() * 32).append('[');
        for (int i = 0; i < ws.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(Env.world(ws.get(i)[0], ws.get(i)[1]));
        }
        return sb.append(']').toString();
    }
}
