package io.eventide.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import io.eventide.http.topic.LocalTopic;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 5,000 WebSocket connections in one process receive every broadcast of a topic, in order: the
 * server encodes each message once and shares the frame across its two loops' sockets.
 */
class BroadcastIT {
    static final int CLIENTS = 5_000;
    static final int MESSAGES = 20;
    static final int IN_FLIGHT = 256; // connects at a time: stays well inside the accept backlog

    final LocalTopic<String> topic = LocalTopic.create("broadcast");
    final CountDownLatch subscribed = new CountDownLatch(CLIENTS);
    final CountDownLatch done = new CountDownLatch(CLIENTS);
    final Queue<String> errors = new ConcurrentLinkedQueue<>();
    final AtomicInteger launched = new AtomicInteger();

    @Test
    void fiveThousandSubscribersGetEveryMessageInOrder() throws Exception {
        WsTestServer server = WsTestServer.start(app -> app.get("/topic", WebSockets.handler(WebSocketOptions.defaults(), ws -> {
            topic.subscribe(ws);
            ws.sendText("subscribed");
        })));
        LoopGroup clients = LoopGroup.create(2);
        try {
            for (int i = 0; i < IN_FLIGHT; i++) {
                launchNext(clients, server);
            }
            assertThat(subscribed.await(60, TimeUnit.SECONDS)).as("all subscribed; errors: %s", errors).isTrue();
            assertThat(topic.subscribers()).isEqualTo(CLIENTS);
            for (int i = 0; i < MESSAGES; i++) {
                topic.publish("message " + i + " of the broadcast");
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).as("all got every message; errors: %s", errors).isTrue();
            assertThat(errors).isEmpty();
        } finally {
            clients.close(Duration.ofSeconds(5)).join(); // each client says 1001; the server unsubscribes it
            server.close();
        }
        assertThat(topic.subscribers()).isZero();
    }

    /** Connects the next client; each completed connect starts another, so IN_FLIGHT stay pending. */
    void launchNext(LoopGroup clients, WsTestServer server) {
        int id = launched.getAndIncrement();
        if (id >= CLIENTS) {
            return;
        }
        WebSocketClient.connect(clients.next(), server.ws("/topic"), WebSocketOptions.defaults()).whenComplete((ws, err) -> {
            launchNext(clients, server);
            if (err != null) {
                errors.add("client " + id + ": " + err);
            } else {
                check(id, ws);
            }
        });
    }

    /** Expects "subscribed", then every message in order. */
    void check(int id, WebSocket ws) {
        int[] next = {-1};
        ws.onText(t -> {
            String want = next[0] < 0 ? "subscribed" : "message " + next[0] + " of the broadcast";
            if (!t.equals(want)) {
                errors.add("client " + id + " got '" + t + "', expected '" + want + "'");
            }
            if (next[0]++ < 0) {
                subscribed.countDown();
            } else if (next[0] == MESSAGES) {
                done.countDown();
            }
        });
    }
}
