package io.eventide.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import io.eventide.core.testing.ChildJvm;
import io.eventide.pg.PgClient;
import io.eventide.pg.PgOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./eventide demo --cluster} without the services {@link ClusterDemoBrowserIT} uses: with
 * PostgreSQL but no broker, NOTIFY carries the chat across workers and the history is in the
 * database; on a bare machine the chat stays on its worker with a history in memory, the jobs queue
 * is in memory, and every answer says so. The kill button refuses when the demo listens beyond
 * loopback, and {@code --cluster} outside a supervisor says how to start it.
 */
class ClusterDemoModesIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(180)
    void withoutABrokerPostgresCarriesTheChatAcrossWorkers(@TempDir Path dir) throws Exception {
        assertThat(DemoCluster.listening(5432)).as("this test needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust on"
                + " loopback); it does not answer").isTrue();
        String namespace = "eventide-test-demo-" + UUID.randomUUID().toString().substring(0, 8);
        String database = namespace.replace('-', '_');
        LoopGroup group = LoopGroup.create(1);
        PgClient admin = PgClient.create(group, PgOptions.defaults().database("postgres").user("postgres"));
        admin.query("CREATE DATABASE " + database).join(Duration.ofSeconds(30));
        try (DemoCluster cluster = DemoCluster.start(dir, List.of("-Ddemo.broker=none", "-Ddemo.namespace=" + namespace,
                "-Ddemo.pg=postgresql://postgres@127.0.0.1:5432/" + database))) {
            cluster.awaitReady(2);
            String info = get(cluster.port, "/demo/info").body();
            assertThat(info).contains("\"broker\":\"none\"", "\"postgres\":true", "over PostgreSQL LISTEN/NOTIFY (no broker)");
            Client a = Client.connect(cluster.port, "room-n", "ann");
            Client b = Client.connectUntil(cluster.port, "room-n", "ben", c -> !c.worker.equals(a.worker));
            await("the histories", () -> a.history() != null && b.history() != null);
            assertThat(a.history()).contains("\"source\":\"postgresql\"");
            a.ws.sendText("over notify from worker " + a.worker, true).join();
            await("the message on both workers' sockets", () -> a.has("over notify from worker " + a.worker)
                    && b.has("over notify from worker " + a.worker));
            Client c = Client.connect(cluster.port, "room-n", "cat");
            await("the newcomer's history", () -> c.history() != null);
            assertThat(c.history()).contains("over notify from worker " + a.worker);
            assertThat(cluster.stop()).isZero();
        } finally {
            admin.query("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").join(Duration.ofSeconds(30));
            admin.close().join(Duration.ofSeconds(10));
            group.close(Duration.ofSeconds(5)).join();
        }
    }

    @Test
    @Timeout(180)
    void onABareMachineEachWorkerKeepsItsOwnAndSaysSo(@TempDir Path dir) throws Exception {
        // Listening on every address: the kill button must refuse, even to a request from loopback.
        try (DemoCluster cluster = DemoCluster.start(dir, List.of("-Ddemo.broker=none", "-Ddemo.pg=off",
                "-Deventide.config.host=0.0.0.0"))) {
            cluster.awaitReady(2);
            String info = get(cluster.port, "/demo/info").body();
            assertThat(info).contains("\"broker\":\"none\"", "\"postgres\":false", "\"kill\":false",
                    "this worker's sockets only (no broker, no PostgreSQL)", "memory: the last 50 messages");
            HttpResponse<String> kill = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port
                    + "/demo/kill?worker=1")).POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
            assertThat(kill.statusCode()).as(kill.body()).isEqualTo(403);
            assertThat(kill.body()).contains("only when the demo listens on 127.0.0.1");

            Client a = Client.connect(cluster.port, "lobby", "ann");
            Client same = Client.connectUntil(cluster.port, "lobby", "sam", x -> x.worker.equals(a.worker));
            Client other = Client.connectUntil(cluster.port, "lobby", "oz", x -> !x.worker.equals(a.worker));
            a.ws.sendText("stays on worker " + a.worker, true).join();
            await("the message on its worker's sockets", () -> a.has("stays on worker " + a.worker)
                    && same.has("stays on worker " + a.worker));
            other.ws.sendText("over on worker " + other.worker, true).join();
            await("the other worker's own message", () -> other.has("over on worker " + other.worker));
            assertThat(other.texts).noneMatch(t -> t.contains("stays on worker"));
            Client late = Client.connectUntil(cluster.port, "lobby", "lee", x -> x.worker.equals(a.worker));
            await("the history from memory", () -> late.history() != null);
            assertThat(late.history()).contains("\"source\":\"memory\"", "stays on worker " + a.worker);

            HttpResponse<String> job = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port
                    + "/demo/jobs")).POST(BodyPublishers.ofString("one job")).build(), BodyHandlers.ofString());
            assertThat(job.statusCode()).as("a job on the in-memory queue: %s", job.body()).isEqualTo(202);
            assertThat(cluster.stop()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void outsideASupervisorClusterModeSaysHowToStartIt() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(), Demo.class.getName(), "--cluster")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("start it with ./eventide demo --cluster");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .build(), BodyHandlers.ofString());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for %s", what).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20); // blocking-ok: polling another process's effects, bounded above
        }
    }

    /** A chat socket; its first text names its worker ({@code hello}). */
    private static final class Client implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;
        String worker;

        static Client connect(int port, String room, String name) throws InterruptedException {
            Client c = new Client();
            c.ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/demo/chat?room=" + room
                    + "&name=" + name), c).join();
            await("the hello", () -> !c.texts.isEmpty());
            assertThat(c.texts.get(0)).startsWith("{\"type\":\"hello\",\"worker\":\"");
            c.worker = c.texts.get(0).split("\"")[7];
            return c;
        }

        /** New connections until the kernel puts one where wanted (at most 64). */
        static Client connectUntil(int port, String room, String name, Predicate<Client> wanted) throws InterruptedException {
            List<Client> extra = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    Client c = connect(port, room, name);
                    if (wanted.test(c)) {
                        return c;
                    }
                    extra.add(c);
                }
                throw new AssertionError("64 connections and none landed where wanted");
            } finally {
                extra.forEach(c -> c.ws.abort());
            }
        }

        String history() {
            return texts.stream().filter(t -> t.startsWith("{\"type\":\"history\"")).findFirst().orElse(null);
        }

        boolean has(String text) {
            return texts.stream().anyMatch(t -> t.startsWith("{\"type\":\"message\"") && t.contains("\"text\":\"" + text + "\""));
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
