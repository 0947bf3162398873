package io.eventide.bus.nats;

import static io.eventide.bus.nats.NatsTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.bus.Bus;
import io.eventide.bus.BusConsumer;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Delivery;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.bus.testing.BusTesting;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every contract of the NATS JetStream bridge, against the real server. */
class NatsTransportIT {
    private LoopGroup group;
    private NatsTransport nats;
    private Bus bus;
    private final List<String> streams = new ArrayList<>();

    @BeforeAll
    static void server() {
        NatsTesting.ensureServer();
    }

    @BeforeEach
    void setUp() {
        group = BusTesting.group(2);
        nats = NatsTransport.create(NatsOptions.defaults());
        bus = Bus.create(group).bridge("", nats);
    }

    @AfterEach
    void tearDown() {
        for (String s : streams) {
            nats.deleteStream(s);
        }
        bus.closeAsync().join();
        group.close(Duration.ofSeconds(5)).join();
        BusTesting.assertNoWatchdogReports(group);
    }

    private String subject() {
        String s = BusTesting.unique("eventide.test").replace('-', '_');
        streams.add(s);
        return s;
    }

    @Test
    void pubAckedSendReachesAConsumerWithHeaders() {
        String s = subject();
        bus.send(s, Message.of("hello").header("tenant", "acme")).join(Duration.ofSeconds(30));
        assertThat(nats.storedMessages(s)).isEqualTo(1);
        List<Delivery> got = new CopyOnWriteArrayList<>();
        bus.consume(group.loop(0), s, ConsumerOptions.defaults(), Handler.sync(got::add));
        await("the delivery", 30, () -> got.size() == 1);
        assertThat(got.get(0).message().text()).isEqualTo("hello");
        assertThat(got.get(0).message().header("tenant")).isEqualTo("acme");
        assertThat(got.get(0).message().header(Message.MESSAGE_ID)).isNotBlank();
    }

    @Test
    void theSameMessageIdIsStoredOnce() {
        String s = subject();
        Message m = Message.of("once").header(Message.MESSAGE_ID, "order-42");
        bus.send(s, m).join(Duration.ofSeconds(30));
        bus.send(s, m).join(Duration.ofSeconds(30)); // a retry after a lost PubAck, say
        assertThat(nats.storedMessages(s)).isEqualTo(1);
    }

    @Test
    void pullBatchIsTheCreditAndAcksFollowTheHandlersPromise() {
        String s = subject();
        for (int i = 0; i < 10; i++) {
            bus.send(s, Message.of("m" + i)).join(Duration.ofSeconds(30));
        }
        List<Promise<Void>> open = new CopyOnWriteArrayList<>();
        List<Boolean> redelivered = new CopyOnWriteArrayList<>();
        EventLoop loop = group.loop(1);
        BusConsumer c = bus.consume(loop, s, ConsumerOptions.defaults().credit(3), d -> {
            redelivered.add(d.redelivered());
            Promise<Void> p = d.loop().promise();
            open.add(p);
            return p;
        });
        await("three in flight", 30, () -> open.size() == 3);
        await("seven not delivered", 30, () -> nats.depth(loop, s).join(Duration.ofSeconds(30)) == 7);
        assertThat(open).hasSize(3);
        // A failed handler: nak, delivered again (redelivered), then acknowledged.
        loop.execute(() -> open.get(0).reject(new IllegalStateException("transient")));
        for (int n = 1; n < 11; n++) {
            int k = n;
            await("delivery " + (k + 3), 30, () -> open.size() > Math.min(k + 2, 10));
            loop.execute(() -> open.get(k).resolve(null));
        }
        await("all settled", 30, () -> c.processed() == 11);
        assertThat(redelivered).containsOnlyOnce(true);
        assertThat(nats.depth(loop, s).join(Duration.ofSeconds(30))).isZero();
    }

    @Test
    void publishReachesEverySubscriber() {
        String s = subject();
        List<String> a = new CopyOnWriteArrayList<>();
        List<String> b = new CopyOnWriteArrayList<>();
        bus.subscribe(group.loop(0), s, ConsumerOptions.defaults(), Handler.sync(d -> a.add(d.message().text())));
        bus.subscribe(group.loop(1), s, ConsumerOptions.defaults(), Handler.sync(d -> b.add(d.message().text())));
        await("both subscribed", 30, () -> {
            bus.publish(s, Message.of("ping")).join(Duration.ofSeconds(30));
            return !a.isEmpty() && !b.isEmpty();
        });
        bus.publish(s, Message.of("news")).join(Duration.ofSeconds(30));
        await("news everywhere", 30, () -> a.contains("news") && b.contains("news"));
    }

    @Test
    void unreachableServerIsBackpressureAndTheLoopsStayResponsive() {
        NatsTransport away = NatsTransport.create(NatsOptions.defaults().url("nats://127.0.0.1:1").maxPendingSends(100));
        try {
            BusTesting.resetLag(group.loops());
            EventLoop loop = group.loop(0);
            List<Promise<Void>> accepted = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                accepted.add(away.send(loop, "nowhere", Message.of("m" + i)));
            }
            Promise<Void> refused = away.send(loop, "nowhere", Message.of("one too many"));
            assertThat(refused.isFailed()).isTrue();
            assertThat(refused.cause()).isInstanceOf(OverloadException.class).hasMessageContaining("unreachable");
            assertThat(away.isBlocked()).isTrue();
            assertThat(accepted).noneMatch(Promise::isDone);
            for (int i = 0; i < 500; i++) {
                BusTesting.roundTrip(group.loop(i % 2));
            }
            double lag = BusTesting.lagP999Millis(group.loops());
            System.out.printf("loop lag p99.9 while NATS is unreachable: %.2f ms%n", lag);
            BusTesting.assertLagWithinTarget(lag);
        } finally {
            away.close().join();
        }
    }

    @Test
    void aTenfoldBurstAgainstASlowConsumerKeepsMemoryFlat() throws Exception {
        String q = subject();
        io.eventide.bus.testing.Backpressure.Result r =
                io.eventide.bus.testing.Backpressure.run("nats", bus, group, q, 3);
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
