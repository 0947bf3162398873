package io.eventide.http.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.http.sse.Sse;
import io.eventide.http.sse.SseOptions;
import io.eventide.http.sse.SseStream;
import io.eventide.http.websocket.WebSocketClient;
import io.eventide.http.websocket.WebSocketOptions;
import io.eventide.http.websocket.WebSockets;
import io.eventide.http.websocket.WsTestServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LocalTopic: fan-out across loops, ordering, cancellation, and the WebSocket and SSE adapters. */
class LocalTopicIT {
    static LoopGroup group;

    @BeforeAll
    static void start() {
        group = LoopGroup.create(3);
    }

    @AfterAll
    static void stop() {
        group.close(Duration.ofSeconds(2)).join();
    }

    /** Subscribes on {@code loop} from a foreign thread and waits until the loop has registered it. */
    static <T> Subscription subscribe(Topic<T> topic, EventLoop loop, java.util.function.Consumer<T> c) throws Exception {
        Subscription s = topic.subscribe(loop, c);
        CompletableFuture<Void> seen = new CompletableFuture<>();
        loop.execute(() -> seen.complete(null)); // behind the registration task
        seen.get(10, TimeUnit.SECONDS);
        return s;
    }

    @Test
    void everySubscriberOnEveryLoopGetsEachPublishersMessagesInOrder() throws Exception {
        LocalTopic<String> topic = LocalTopic.create("t");
        int subscribers = 3 * 400; // 400 per loop: more than one delivery batch
        int publishers = 4;
        int perPublisher = 200;
        CountDownLatch done = new CountDownLatch(subscribers);
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < subscribers; i++) {
            int[] last = new int[publishers];
            java.util.Arrays.fill(last, -1);
            int[] total = {0};
            int id = i;
            subscribe(topic, group.loop(i % 3), m -> {
                String[] p = m.split(":");
                int pub = Integer.parseInt(p[0]);
                int seq = Integer.parseInt(p[1]);
                if (seq != last[pub] + 1) {
                    errors.add("subscriber " + id + " got " + m + " after " + pub + ":" + last[pub]);
                }
                last[pub] = seq;
                if (++total[0] == publishers * perPublisher) {
                    done.countDown();
                }
            });
        }
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int pub = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int k = 0; k < perPublisher; k++) {
                    topic.publish(pub + ":" + k);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).as("all delivered; errors %s", errors).isTrue();
        assertThat(errors).isEmpty();
        assertThat(topic.published()).isEqualTo(publishers * perPublisher);
    }

    @Test
    void cancelStopsDeliveryAndAThrowingSubscriberHurtsNoOther() throws Exception {
        LocalTopic<String> topic = LocalTopic.create("c");
        EventLoop loop = group.loop(0);
        Queue<String> a = new ConcurrentLinkedQueue<>();
        Queue<String> b = new ConcurrentLinkedQueue<>();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> last = new CompletableFuture<>();
        Subscription sa = subscribe(topic, loop, a::add);
        subscribe(topic, loop, m -> {
            throw new IllegalStateException("subscriber bug");
        });
        subscribe(topic, loop, m -> {
            b.add(m);
            (m.equals("one") ? first : last).complete(m);
        });
        topic.publish("one");
        first.get(10, TimeUnit.SECONDS); // delivered to a as well: same loop task, a comes first
        sa.cancel();
        assertThat(sa.isActive()).isFalse();
        topic.publish("two");
        last.get(10, TimeUnit.SECONDS);
        assertThat(a).containsExactly("one");
        assertThat(b).containsExactly("one", "two");
        assertThat(topic.subscribers()).isEqualTo(2);
    }

    @Test
    void subscribersCancellingDuringABatchedDeliveryKeepTheOrder() throws Exception {
        LocalTopic<Integer> topic = LocalTopic.create("batched", String::valueOf);
        EventLoop loop = group.loop(1);
        int n = 3 * LoopSubscribers.BATCH;
        CountDownLatch done = new CountDownLatch(n / 2);
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < n; i++) {
            boolean quitter = i % 2 == 0;
            int[] expected = {0};
            Subscription[] self = new Subscription[1];
            self[0] = subscribe(topic, loop, m -> {
                if (m != expected[0]) {
                    errors.add("got " + m + " expected " + expected[0]);
                }
                expected[0]++;
                if (quitter && m == 1) {
                    self[0].cancel(); // shifts the others' positions between publishes
                } else if (!quitter && m == 4) {
                    done.countDown();
                }
            });
        }
        for (int m = 0; m < 5; m++) {
            topic.publish(m);
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).as("errors %s", errors).isTrue();
        assertThat(errors).isEmpty();
    }

    @Test
    void webSocketClientsAndSseStreamsAsSubscribers() throws Exception {
        LocalTopic<String> news = LocalTopic.create("news");
        CompletableFuture<String> echoed = new CompletableFuture<>();
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        CompletableFuture<Void> sseClosed = new CompletableFuture<>();
        try (WsTestServer server = WsTestServer.start(app -> {
            app.get("/echo", WebSockets.handler(WebSocketOptions.defaults(), ws -> ws.onText(t -> ws.sendText("echo:" + t))));
            app.get("/sse", (req, res) -> {
                SseStream sse = Sse.start(req, res, SseOptions.defaults().heartbeat(Duration.ofMillis(20)));
                news.subscribe(sse); // before the head is flushed: subscribed once the client sees it
                sse.onClose(() -> sseClosed.complete(null));
            });
        })) {
            // A client-side socket subscribes on its loop: it masks each frame itself (no shared frame).
            WebSocketClient.connect(group.loop(2), server.ws("/echo"), WebSocketOptions.defaults()).onSuccess(ws -> {
                ws.onText(echoed::complete);
                news.subscribe(ws);
                subscribed.complete(null);
            });
            subscribed.get(10, TimeUnit.SECONDS);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write("GET /sse HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                read(in, ":\n\n");
                assertThat(news.subscribers()).isEqualTo(2);
                news.publish("headline\nwith two lines");
                assertThat(read(in, "data: headline\ndata: with two lines\n\n")).doesNotContain("event:");
            }
            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("echo:headline\nwith two lines");
            sseClosed.get(20, TimeUnit.SECONDS); // the heartbeat noticed the client left
            assertThat(news.subscribers()).isEqualTo(1);
        }
    }

    static String read(InputStream in, String until) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        byte[] b = new byte[4096];
        while (!sb.toString().contains(until)) {
            int n = in.read(b);
            if (n < 0) {
                break;
            }
            sb.append(new String(b, 0, n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
