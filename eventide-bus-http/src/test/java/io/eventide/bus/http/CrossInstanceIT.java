package io.eventide.bus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.bus.testing.BusTesting;
import io.eventide.core.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Eventide processes, a WebSocket client on each: one broadcast made on the first reaches both
 * clients, through RabbitMQ, each instance encoding the frame once for its own sockets.
 */
class CrossInstanceIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private int start(String address) throws Exception {
        Process p = new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(), TopicApp.class.getName(), address)
                .redirectError(new File("target/cross-instance-" + processes.size() + ".err")).start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("first line of instance %d", processes.size()).startsWith("PORT ");
        return Integer.parseInt(line.substring(5).trim());
    }

    private static final class Collect implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            texts.add(data.toString());
            ws.request(1);
            return null;
        }
    }

    private static String post(int port, String path, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("POST " + path + " to instance on port " + port + " failed", e);
        }
    }

    @Test
    void oneBroadcastReachesTheWebSocketsOfBothInstances() throws Exception {
        assertThat(BusTesting.listening(5672)).as("RabbitMQ on 127.0.0.1:5672 (start it: rabbitmq-server -detached)").isTrue();
        String address = BusTesting.unique("eventide-test-topic");
        int a = start(address);
        int b = start(address);
        Collect onA = new Collect();
        Collect onB = new Collect();
        HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + a + "/ws"), onA).join();
        HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + b + "/ws"), onB).join();
        // Each instance binds its relay queue at the broker in the background: ping until both hear.
        BusTesting.await("both instances relaying", 60, () -> {
            post(a, "/say", "ping");
            return onA.texts.contains("ping") && onB.texts.contains("ping");
        });
        assertThat(post(a, "/say", "hello from A")).isEqualTo("ok");
        BusTesting.await("the broadcast on both sockets", 30,
                () -> onA.texts.contains("hello from A") && onB.texts.contains("hello from A"));
        assertThat(onB.texts.stream().filter("hello from A"::equals).count()).isEqualTo(1);
        RabbitTransport admin = RabbitTransport.create(RabbitOptions.defaults());
        try {
            admin.deleteExchange(address);
        } finally {
            admin.close().join();
        }
    }
}
