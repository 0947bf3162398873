package io.eventide.bus.rabbitmq;

import static io.eventide.bus.rabbitmq.RabbitTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.bus.Bus;
import io.eventide.bus.BusConsumer;
import io.eventide.bus.BusException;
import io.eventide.bus.testing.BusTesting;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Delivery;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every contract of the RabbitMQ bridge, against the real broker. */
class RabbitTransportIT {
    private LoopGroup group;
    private RabbitTransport rabbit;
    private Bus bus;
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();

    @BeforeAll
    static void broker() {
        RabbitTesting.ensureBroker();
    }

    @BeforeEach
    void setUp() {
        group = BusTesting.group(2);
        rabbit = RabbitTransport.create(RabbitOptions.defaults());
        bus = Bus.create(group).bridge("", rabbit);
    }

    @AfterEach
    void tearDown() {
        for (String q : queues) {
            rabbit.deleteQueue(q);
        }
        for (String x : exchanges) {
            rabbit.deleteExchange(x);
        }
        bus.closeAsync().join();
        group.close(Duration.ofSeconds(5)).join();
        BusTesting.assertNoWatchdogReports(group);
    }

    private String queue() {
        String q = BusTesting.unique("eventide-test-q");
        queues.add(q);
        return q;
    }

    @Test
    void confirmedSendReachesAConsumerOfADurableQuorumQueueWithHeaders() {
        String q = queue();
        bus.send(q, Message.json(Map.of("n", 1)).header("tenant", "acme")).join(Duration.ofSeconds(30));
        assertThat(RabbitTesting.ctl("list_queues", "name", "type", "durable"))
                .containsPattern(q + "\\s+quorum\\s+true");
        List<Delivery> got = new CopyOnWriteArrayList<>();
        bus.consume(group.loop(0), q, ConsumerOptions.defaults(), Handler.sync(got::add));
        await("the delivery", 30, () -> got.size() == 1);
        Message m = got.get(0).message();
        assertThat(m.text()).isEqualTo("{\"n\":1}");
        assertThat(m.header("tenant")).isEqualTo("acme");
        assertThat(m.header(Message.CONTENT_TYPE)).isEqualTo(Message.JSON);
        assertThat(m.header(Message.MESSAGE_ID)).isNotBlank();
        assertThat(got.get(0).redelivered()).isFalse();
        assertThat(RabbitTesting.ctl("list_queues", "name", "messages_persistent")).doesNotContain(q + "\t1");
    }

    @Test
    void unroutableSendIsRejected() {
        String q = queue();
        bus.send(q, Message.of("first")).join(Duration.ofSeconds(30)); // declares the queue
        rabbit.deleteQueue(q); // the bridge still believes it exists: the next one comes back
        assertThatThrownBy(() -> bus.send(q, Message.of("second")).join(Duration.ofSeconds(30)))
                .isInstanceOf(BusException.class).hasMessageContaining("could not route").hasMessageContaining("NO_ROUTE");
    }

    @Test
    void nackedSendIsRejected() {
        rabbit.close().join();
        rabbit = RabbitTransport.create(RabbitOptions.defaults()
                .queueArguments(Map.of("x-max-length", 1, "x-overflow", "reject-publish")));
        bus = Bus.create(group).bridge("", rabbit);
        String q = queue();
        bus.send(q, Message.of("fits")).join(Duration.ofSeconds(30));
        // A quorum queue applies its length limit once the previous message is committed: the next
        // few may still fit, one of them must be refused.
        Throwable refused = null;
        for (int i = 0; i < 5 && refused == null; i++) {
            refused = bus.send(q, Message.of("overflows " + i)).map(v -> (Throwable) null).recover(e -> e)
                    .join(Duration.ofSeconds(30));
        }
        assertThat(refused).isInstanceOf(BusException.class).hasMessageContaining("nack");
    }

    @Test
    void acknowledgedOnlyAfterTheHandlersPromiseAndRequeuedOnceOnFailure() {
        String q = queue();
        bus.send(q, Message.of("job")).join(Duration.ofSeconds(30));
        List<Boolean> redelivered = new CopyOnWriteArrayList<>();
        List<Promise<Void>> open = new CopyOnWriteArrayList<>();
        BusConsumer c = bus.consume(group.loop(0), q, ConsumerOptions.defaults(), d -> {
            redelivered.add(d.redelivered());
            Promise<Void> p = d.loop().promise();
            open.add(p);
            return p;
        });
        await("first delivery", 30, () -> open.size() == 1);
        // Unacknowledged while the promise is pending: nothing ready in the queue, one unacked.
        await("one unacked", 30, () -> RabbitTesting.ctl("list_queues", "name", "messages_ready",
                "messages_unacknowledged").matches("(?s).*" + q + "\\s+0\\s+1.*"));
        open.get(0).reject(new IllegalStateException("transient"));
        await("redelivery", 30, () -> open.size() == 2);
        assertThat(redelivered).containsExactly(false, true);
        open.get(1).resolve(null);
        await("acked", 30, () -> RabbitTesting.ctl("list_queues", "name", "messages").matches("(?s).*" + q + "\\s+0.*"));
        assertThat(c.processed()).isEqualTo(2);
    }

    @Test
    void prefetchIsTheConsumersCredit() {
        String q = queue();
        for (int i = 0; i < 10; i++) {
            bus.send(q, Message.of("m" + i)).join(Duration.ofSeconds(30));
        }
        List<Promise<Void>> open = new CopyOnWriteArrayList<>();
        EventLoop loop = group.loop(1);
        BusConsumer c = bus.consume(loop, q, ConsumerOptions.defaults().credit(3), d -> {
            Promise<Void> p = d.loop().promise();
            open.add(p);
            return p;
        });
        await("three in flight", 30, () -> open.size() == 3);
        await("seven still at the broker", 30, () -> RabbitTesting.ctl("list_queues", "name", "messages_ready",
                "messages_unacknowledged").matches("(?s).*" + q + "\\s+7\\s+3.*"));
        assertThat(open).hasSize(3);
        assertThat(c.inFlight()).isEqualTo(3);
        AtomicInteger released = new AtomicInteger();
        while (released.get() < 10) {
            int n = released.get();
            await("delivery " + (n + 1), 30, () -> open.size() > n);
            loop.execute(() -> open.get(n).resolve(null));
            released.incrementAndGet();
        }
        await("all acked", 30, () -> c.processed() == 10);
    }

    @Test
    void publishReachesEverySubscriber() {
        String x = BusTesting.unique("eventide-test-x");
        exchanges.add(x);
        List<String> a = new CopyOnWriteArrayList<>();
        List<String> b = new CopyOnWriteArrayList<>();
        bus.subscribe(group.loop(0), x, ConsumerOptions.defaults(), Handler.sync(d -> a.add(d.message().text())));
        bus.subscribe(group.loop(1), x, ConsumerOptions.defaults(), Handler.sync(d -> b.add(d.message().text())));
        // Subscribers bind their queues in the background; publish until both are bound.
        await("both subscribers bound", 30, () -> {
            bus.publish(x, Message.of("ping")).join(Duration.ofSeconds(30));
            return !a.isEmpty() && !b.isEmpty();
        });
        bus.publish(x, Message.of("news")).join(Duration.ofSeconds(30));
        await("news everywhere", 30, () -> a.contains("news") && b.contains("news"));
    }

    @Test
    void blockedBrokerIsBackpressureAndTheLoopsStayResponsive() {
        String q = queue();
        bus.send(q, Message.of("before")).join(Duration.ofSeconds(30)); // this connection is now a publisher
        BusTesting.resetLag(group.loops());
        RabbitTesting.ctl("set_vm_memory_high_watermark", "0");
        try {
            Promise<Void> stuck = bus.send(q, Message.of("during"));
            await("connection.blocked", 30, rabbit::isBlocked);
            BusTesting.resetLag(group.loops()); // from here on: the broker blocked, the loops serving
            assertThatThrownBy(() -> bus.send(q, Message.of("refused")).join(Duration.ofSeconds(30)))
                    .isInstanceOf(io.eventide.core.OverloadException.class).hasMessageContaining("blocked");
            assertThat(stuck.isDone()).isFalse();
            // The loops keep serving timers while the broker is blocked.
            for (int i = 0; i < 500; i++) {
                BusTesting.roundTrip(group.loop(i % 2));
                if (i % 50 == 0) {
                    assertThat(bus.send(q, Message.of("refused")).isFailed()).isTrue(); // fails fast, at once
                }
            }
            double lag = BusTesting.lagP999Millis(group.loops());
            System.out.printf("loop lag p99.9 while RabbitMQ blocked publishing: %.2f ms%n", lag);
            BusTesting.assertLagWithinTarget(lag);
        } finally {
            RabbitTesting.ctl("set_vm_memory_high_watermark", "0.4");
        }
        await("connection.unblocked", 60, () -> !rabbit.isBlocked());
        bus.send(q, Message.of("after")).join(Duration.ofSeconds(30));
    }

    @Test
    void aTenfoldBurstAgainstASlowConsumerKeepsMemoryFlat() throws Exception {
        String q = queue();
        io.eventide.bus.testing.Backpressure.Result r =
                io.eventide.bus.testing.Backpressure.run("rabbitmq", bus, group, q, 3);
        assertThat(r.accepted()).isPositive();
        // Flat: the broker holds the backlog, this process only its bounded window. Process memory
        // (RSS, heap fixed by -Xms=-Xmx as in production) stays within 10 %; the live heap after a
        // full GC grows by at most 10 % or 2 MB, the noise floor of a full-GC reading on a small heap
        // (the burst itself pushed tens of MB through).
        assertThat(Math.abs(r.rssChange())).as("process memory change after the burst: " + r).isLessThanOrEqualTo(0.10);
        assertThat(r.heapAfterBytes() - r.heapBeforeBytes()).as("live heap growth: " + r)
                .isLessThanOrEqualTo(Math.max(2_000_000L, r.heapBeforeBytes() / 10));
        
    }
}
