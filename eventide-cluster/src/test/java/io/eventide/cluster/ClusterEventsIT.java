package io.eventide.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.bus.nats.NatsOptions;
import io.eventide.bus.nats.NatsTransport;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.bus.testing.BusTesting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events across the workers of {@code eventide cluster}: two workers of {@link ClusterChatApp}, a
 * WebSocket client on each (found by reconnecting until the kernel has put one on each worker), a
 * message sent on one worker's socket reaches the other's, once, over each broker the bus bridges
 * to; without a broker, chat still works among the sockets of one worker and the app says so.
 */
class ClusterEventsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void chatCrossesWorkersOverRabbitMq(@TempDir Path dir) throws Exception {
        assertThat(BusTesting.listening(5672)).as("RabbitMQ on 127.0.0.1:5672 (start it: rabbitmq-server -detached)").isTrue();
        String address = BusTesting.unique("eventide-test-chat");
        try {
            chatCrossesWorkers(dir, "rabbitmq", address, "every worker, over rabbitmq://");
        } finally {
            RabbitTransport admin = RabbitTransport.create(RabbitOptions.defaults());
            try {
                admin.deleteExchange(address);
            } finally {
                admin.close().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void chatCrossesWorkersOverNatsJetStream(@TempDir Path dir) throws Exception {
        assertThat(BusTesting.listening(4222)).as("NATS on 127.0.0.1:4222 (start it: nats-server -js)").isTrue();
        String address = BusTesting.unique("eventide-test-chat");
        try {
            chatCrossesWorkers(dir, "nats", address, "every worker, over nats://");
        } finally {
            NatsTransport admin = NatsTransport.create(NatsOptions.defaults());
            try {
                BusTesting.await("NATS stream " + address + " deleted", 30, () -> {
                    try {
                        admin.deleteStream(address);
                        return true;
                    } catch (RuntimeException e) {
                        return false; // still connecting
                    }
                });
            } finally {
                admin.close().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void chatCrossesWorkers(Path dir, String broker, String address, String mode) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(dir, List.of("-n", "2"), ClusterChatApp.class,
                List.of("-Dchat.broker=" + broker, "-Dchat.address=" + address))) {
            cluster.awaitReady(2);
            Client[] two = oneOnEachWorker(cluster.port);
            assertThat(two[0].texts.get(0)).contains(mode);
            // Each worker binds its relay at the broker in the background: ping until both have
            // heard one (a ping takes a broker round trip, so the one just sent is rarely back yet).
            int[] n = {0};
            BusTesting.await("both workers relaying over " + broker, 60, () -> {
                two[0].ws.sendText("ping " + n[0]++, true).join();
                return two[0].texts.stream().anyMatch(t -> t.startsWith("ping "))
                        && two[1].texts.stream().anyMatch(t -> t.startsWith("ping "));
            });
            two[0].ws.sendText("from " + two[0].pid, true).join();
            two[1].ws.sendText("from " + two[1].pid, true).join();
            for (Client c : two) {
                BusTesting.await("both messages on the socket of worker " + c.pid, 30,
                        () -> c.texts.contains("from " + two[0].pid) && c.texts.contains("from " + two[1].pid));
            }
            for (Client c : two) {
                assertThat(c.texts).filteredOn(t -> t.startsWith("from ")).hasSize(2); // once each, no echo loop
            }
            assertThat(cluster.terminate()).isZero();
        }
    }

    @Test
    void withoutABrokerChatStaysOnItsWorkerAndSaysSo(@TempDir Path dir) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(dir, List.of("-n", "2"), ClusterChatApp.class,
                List.of("-Dchat.broker=none"))) {
            cluster.awaitReady(2);
            assertThat(cluster.output()).as("the app says its chat is local")
                    .anyMatch(l -> l.contains("chat room chat.lobby: local: this worker's sockets only (no broker)"));
            Client[] two = oneOnEachWorker(cluster.port);
            assertThat(two[0].texts.get(0)).endsWith("(no broker)");
            Client sibling = connectUntil(cluster.port, c -> c.pid.equals(two[0].pid)); // same worker as two[0]
            two[0].ws.sendText("only here", true).join();
            BusTesting.await("the message on its own worker's sockets", 30,
                    () -> two[0].texts.contains("only here") && sibling.texts.contains("only here"));
            two[1].ws.sendText("over there", true).join();
            BusTesting.await("the other worker's own message", 30, () -> two[1].texts.contains("over there"));
            // Sent before "over there" and never relayed: the other worker's room never had it.
            assertThat(two[1].texts).doesNotContain("only here");
            assertThat(two[0].texts).doesNotContain("over there");
            assertThat(cluster.terminate()).isZero();
        }
    }

    /** A WebSocket client of /chat; its first text is the greeting naming its worker. */
    private static final class Client implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;
        String pid;

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

    private static Client connect(int port) {
        Client c = new Client();
        c.ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat"), c).join();
        BusTesting.await("the greeting", 30, () -> !c.texts.isEmpty());
        c.pid = c.texts.get(0).split(" ")[1];
        return c;
    }

    private static Client connectUntil(int port, java.util.function.Predicate<Client> wanted) {
        List<Client> extra = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                Client c = connect(port);
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

    /** New connections until the kernel's SO_REUSEPORT hash has put one on each of the two workers. */
    private static Client[] oneOnEachWorker(int port) {
        Client first = connect(port);
        Client second = connectUntil(port, c -> !c.pid.equals(first.pid));
        return new Client[] {first, second};
    }
}
