package io.eventide.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.bus.nats.NatsOptions;
import io.eventide.bus.nats.NatsTransport;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.cluster.Cluster;
import io.eventide.core.LoopGroup;
import io.eventide.pg.PgClient;
import io.eventide.pg.PgOptions;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./eventide demo --cluster} in headless Chromium: the real supervisor ({@link Cluster})
 * runs two demo workers on one port over the broker this machine runs (RabbitMQ, else NATS) with the
 * chat history in PostgreSQL (a database made for this run). The page ({@code cluster.e2e.js}) shows
 * both workers side by side; two pages chat with their sockets on different workers, and a third
 * gets the history; the kill button kills a worker, the supervisor restarts it and the chat socket
 * reconnects; a burst of jobs is queued, refused past its bound and drained. Screenshots go to
 * {@code target/screenshots}. Without a broker or PostgreSQL it fails and says which to start.
 */
class ClusterDemoBrowserIT {
    @Test
    @Timeout(300)
    void theClusterDemoWorksInARealBrowser(@TempDir Path dir) throws Exception {
        boolean rabbit = DemoCluster.listening(5672);
        boolean nats = DemoCluster.listening(4222);
        assertThat(rabbit || nats).as("the cluster demo's browser test needs a broker: RabbitMQ on 127.0.0.1:5672"
                + " (rabbitmq-server -detached) or NATS on 127.0.0.1:4222 (nats-server -js); neither answers").isTrue();
        assertThat(DemoCluster.listening(5432)).as("the cluster demo's browser test needs PostgreSQL on 127.0.0.1:5432 (user postgres,"
                + " trust on loopback) for the chat history; it does not answer").isTrue();
        // The demo picks the broker itself (RabbitMQ first); -Ddemo.it.broker=nats makes it take NATS.
        String forced = System.getProperty("demo.it.broker", "");
        String broker = !forced.isEmpty() ? forced : rabbit ? "rabbitmq" : "nats";
        String namespace = "eventide-test-demo-" + UUID.randomUUID().toString().substring(0, 8);
        String database = namespace.replace('-', '_');
        LoopGroup group = LoopGroup.create(1);
        PgClient admin = PgClient.create(group, PgOptions.defaults().database("postgres").user("postgres"));
        admin.query("CREATE DATABASE " + database).join(Duration.ofSeconds(30));
        Path shots = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        DemoCluster cluster = DemoCluster.start(dir, List.of("-Ddemo.namespace=" + namespace,
                "-Ddemo.pg=postgresql://postgres@127.0.0.1:5432/" + database, "-Ddemo.broker=" + (forced.isEmpty() ? "auto" : forced)));
        try {
            cluster.awaitReady(2);
            assertThat(cluster.lines).as("each worker says what it found")
                    .anyMatch(l -> l.contains("demo worker") && l.contains("broker: " + broker + "://")
                            && l.contains("chat history: postgresql://127.0.0.1:5432/" + database));
            BrowserTools.runE2e("cluster.e2e.js", "http://127.0.0.1:" + cluster.port + "/", shots,
                    Map.of("E2E_BROKER", broker, "E2E_PG", "1"), "[e2e-cluster] ");
            assertThat(shots.resolve("demo-cluster.png")).exists();
            // Another site's page in the same browser, or a rebound name, cannot use the kill button.
            assertThat(rawPost(cluster.port, "127.0.0.1:" + cluster.port, "http://evil.example"))
                    .startsWith("HTTP/1.1 403").contains("only the demo's own page");
            assertThat(rawPost(cluster.port, "evil.example:" + cluster.port, "http://evil.example:" + cluster.port))
                    .startsWith("HTTP/1.1 403");
            assertThat(cluster.lines).as("the supervisor restarted the killed worker")
                    .anyMatch(l -> l.startsWith("eventide cluster: worker ") && l.contains("exited with status"));
            // The history is in the database, as the page said.
            PgClient db = PgClient.create(group, PgOptions.defaults().database(database).user("postgres"));
            long rows;
            try {
                rows = db.query("SELECT count(*) FROM " + database + "_chat").join(Duration.ofSeconds(30)).first().getLong(0);
            } finally {
                db.close().join(Duration.ofSeconds(10));
            }
            assertThat(rows).as("chat messages stored in PostgreSQL").isGreaterThanOrEqualTo(4);
        } finally {
            assertThat(cluster.stop()).as("the supervisor stops gracefully; output:%n%s", String.join("\n", cluster.lines))
                    .isZero();
            cleanBroker(broker, namespace);
            admin.query("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").join(Duration.ofSeconds(30));
            admin.close().join(Duration.ofSeconds(10));
            group.close(Duration.ofSeconds(5)).join();
        }
    }

    /** @return the raw answer to {@code POST /demo/kill?worker=1} with these Host and Origin headers */
    private static String rawPost(int port, String host, String origin) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /demo/kill?worker=1 HTTP/1.1\r\nhost: " + host + "\r\norigin: " + origin
                    + "\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Removes what the demo declared at the broker: exchanges and the job queue, or the streams. */
    private static void cleanBroker(String broker, String ns) throws Exception {
        List<String> fanouts = List.of(ns + ".chat", ns + ".metrics", ns + ".jobs.status");
        if (broker.equals("rabbitmq")) {
            RabbitTransport t = RabbitTransport.create(RabbitOptions.defaults());
            try {
                for (String x : fanouts) {
                    t.deleteExchange(x);
                }
                t.deleteQueue(ns + ".jobs");
            } finally {
                t.close().get(30, TimeUnit.SECONDS);
            }
            return;
        }
        NatsTransport t = NatsTransport.create(NatsOptions.defaults());
        try {
            List<String> all = new ArrayList<>(fanouts);
            all.add(ns + ".jobs");
            for (String a : all) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (true) {
                    try {
                        t.deleteStream(a);
                        break;
                    } catch (RuntimeException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                        // Still connecting: the next attempt follows the client's own reconnect wait.
                        TimeUnit.MILLISECONDS.sleep(100); // blocking-ok: test thread, bounded by the deadline
                    }
                }
            }
        } finally {
            t.close().get(30, TimeUnit.SECONDS);
        }
    }

}
