package io.eventide.bus.kafka;

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
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every contract of the Kafka bridge, against a real KRaft broker embedded in this JVM. */
class KafkaTransportIT {
    private static EmbeddedKafka kafka;
    private LoopGroup group;
    private KafkaTransport transport;
    private Bus bus;

    @BeforeAll
    static void broker() {
        kafka = new EmbeddedKafka().start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void setUp() {
        group = BusTesting.group(2);
        // Under the burst, the broker sharing this JVM can fall far behind; batches it does not answer
        // within 30 s fail (and free their place in the window) instead of waiting the default 2 min.
        transport = KafkaTransport.create(KafkaOptions.defaults().bootstrapServers(kafka.bootstrapServers()).partitions(2)
                .producer(Map.of("delivery.timeout.ms", 30_000, "request.timeout.ms", 10_000)));
        bus = Bus.create(group).bridge("", transport);
    }

    @AfterEach
    void tearDown() {
        bus.closeAsync().join();
        group.close(Duration.ofSeconds(5)).join();
        BusTesting.assertNoWatchdogReports(group);
    }

    static void await(String what, int seconds, BooleanSupplier condition) {
        BusTesting.await(what, seconds, condition);
    }

    @Test
    void acknowledgedSendReachesTheGroupWithHeadersAndKey() {
        String t = BusTesting.unique("eventide-test");
        bus.send(t, Message.json(Map.of("n", 1)).header("tenant", "acme").header(KafkaTransport.KEY_HEADER, "k1"))
                .join(Duration.ofSeconds(60));
        List<Delivery> got = new CopyOnWriteArrayList<>();
        bus.consume(group.loop(0), t, ConsumerOptions.defaults(), Handler.sync(got::add));
        await("the record", 60, () -> got.size() == 1);
        Message m = got.get(0).message();
        assertThat(m.text()).isEqualTo("{\"n\":1}");
        assertThat(m.header("tenant")).isEqualTo("acme");
        assertThat(m.header(Message.CONTENT_TYPE)).isEqualTo(Message.JSON);
        assertThat(m.header(Message.MESSAGE_ID)).isNotBlank();
        await("the commit", 60, () -> transport.depth(group.loop(0), t).join(Duration.ofSeconds(60)) == 0);
        transport.deleteTopic(t);
    }

    @Test
    void creditPausesPartitionsAndCommitsFollowProcessing() {
        String t = BusTesting.unique("eventide-test");
        for (int i = 0; i < 20; i++) {
            bus.send(t, Message.of("m" + i)).join(Duration.ofSeconds(60));
        }
        List<Promise<Void>> open = new CopyOnWriteArrayList<>();
        EventLoop loop = group.loop(1);
        BusConsumer c = bus.consume(loop, t, ConsumerOptions.defaults().credit(4), d -> {
            Promise<Void> p = d.loop().promise();
            open.add(p);
            return p;
        });
        await("credit used", 60, () -> open.size() == 4);
        // Paused: nothing more arrives, and nothing is committed while the promises are pending.
        assertThat(transport.depth(loop, t).join(Duration.ofSeconds(60))).isEqualTo(20);
        assertThat(open).hasSize(4);
        for (int n = 0; n < 20; n++) {
            int k = n;
            await("record " + (k + 1), 60, () -> open.size() > k);
            loop.execute(() -> open.get(k).resolve(null));
        }
        await("all processed", 60, () -> c.processed() == 20);
        await("all committed", 60, () -> transport.depth(loop, t).join(Duration.ofSeconds(60)) == 0);
        assertThat(c.inFlight()).isZero();
        transport.deleteTopic(t);
    }

    @Test
    void returnedCreditResumesTheConsumerWithoutWaitingOutItsPoll() {
        String t = BusTesting.unique("eventide-test");
        int n = 400;
        List<Promise<Void>> sends = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            sends.add(bus.send(t, Message.of("m" + i)));
        }
        sends.forEach(p -> p.join(Duration.ofSeconds(60)));
        EventLoop loop = group.loop(1);
        // Each handler settles a millisecond later, long after the poll thread has paused for lack
        // of credit: it must be woken when credit comes back, not sleep out its 100 ms poll (before
        // the fix, nearly every one of the ~100 pauses ended that way: ~2,500 records/s at most).
        BusConsumer c = bus.consume(loop, t, ConsumerOptions.defaults().credit(4), d -> {
            Promise<Void> p = d.loop().promise();
            d.loop().setTimeout(1, () -> p.resolve(null));
            return p;
        });
        await("all processed", 120, () -> c.processed() == n);
        assertThat(transport.stalledPolls()).as("polls that slept out their timeout while paused").isLessThan(10);
        c.cancel();
        transport.deleteTopic(t);
    }

    @Test
    void rebalanceCommitsOnRevokeSoNothingIsProcessedTwice() {
        String t = BusTesting.unique("eventide-test");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> dupes = new CopyOnWriteArrayList<>();
        Handler h = Handler.sync(d -> {
            if (!seen.add(d.message().text())) {
                dupes.add(d.message().text());
            }
        });
        BusConsumer first = bus.consume(group.loop(0), t, ConsumerOptions.defaults(), h);
        for (int i = 0; i < 50; i++) {
            bus.send(t, Message.of("a" + i)).join(Duration.ofSeconds(60));
        }
        await("first 50", 60, () -> seen.size() == 50);
        BusConsumer second = bus.consume(group.loop(1), t, ConsumerOptions.defaults(), h); // rebalance: revoke, commit
        for (int i = 0; i < 50; i++) {
            bus.send(t, Message.of("b" + i)).join(Duration.ofSeconds(60));
        }
        await("all 100", 60, () -> seen.size() == 100);
        first.cancel();
        second.cancel();
        assertThat(dupes).as("records processed twice across the rebalance").isEmpty();
        transport.deleteTopic(t);
    }

    @Test
    void publishReachesEverySubscriber() {
        String t = BusTesting.unique("eventide-test");
        List<String> a = new CopyOnWriteArrayList<>();
        List<String> b = new CopyOnWriteArrayList<>();
        bus.subscribe(group.loop(0), t, ConsumerOptions.defaults(), Handler.sync(d -> a.add(d.message().text())));
        bus.subscribe(group.loop(1), t, ConsumerOptions.defaults(), Handler.sync(d -> b.add(d.message().text())));
        await("both subscribed", 60, () -> {
            bus.publish(t, Message.of("ping")).join(Duration.ofSeconds(60));
            return !a.isEmpty() && !b.isEmpty();
        });
        bus.publish(t, Message.of("news")).join(Duration.ofSeconds(60));
        await("news everywhere", 60, () -> a.contains("news") && b.contains("news"));
        transport.deleteTopic(t);
    }

    @Test
    void aTenfoldBurstAgainstASlowConsumerKeepsMemoryFlat() throws Exception {
        String q = BusTesting.unique("eventide-test");
        io.eventide.bus.testing.Backpressure.Result r =
                io.eventide.bus.testing.Backpressure.run("kafka", bus, group, q, 3);
        assertThat(r.accepted()).isPositive();
        // Flat: the broker holds the backlog, this process only its bounded window. Process memory
        // (RSS, heap fixed by -Xms=-Xmx as in production) stays within 10 %; the live heap after a
        // full GC grows by at most 10 % or 2 MB, the noise floor of a full-GC reading on a small heap
        // (the burst itself pushed tens of MB through).
        assertThat(Math.abs(r.rssChange())).as("process memory change after the burst: " + r).isLessThanOrEqualTo(0.10);
        assertThat(r.heapAfterBytes() - r.heapBeforeBytes()).as("live heap growth: " + r)
                .isLessThanOrEqualTo(Math.max(2_000_000L, r.heapBeforeBytes() / 10));
        transport.deleteTopic(q);
    }

    @Test
    void unreachableClusterIsBackpressureAndTheLoopsStayResponsive() {
        KafkaTransport away = KafkaTransport.create(KafkaOptions.defaults().bootstrapServers("127.0.0.1:1")
                .maxPendingSends(100).producer(Map.of("max.block.ms", 2_000)));
        try {
            BusTesting.resetLag(group.loops());
            EventLoop loop = group.loop(0);
            List<Promise<Void>> accepted = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 100; i++) {
                accepted.add(away.send(loop, "nowhere", Message.of("m" + i)));
            }
            Promise<Void> refused = away.send(loop, "nowhere", Message.of("one too many"));
            assertThat(refused.isFailed()).isTrue();
            assertThat(refused.cause()).isInstanceOf(io.eventide.core.OverloadException.class);
            await("the bridge reporting the cluster as not acknowledging", 30, away::isBlocked);
            for (int i = 0; i < 500; i++) {
                BusTesting.roundTrip(group.loop(i % 2));
            }
            double lag = BusTesting.lagP999Millis(group.loops());
            System.out.printf("loop lag p99.9 while Kafka is unreachable: %.2f ms%n", lag);
            BusTesting.assertLagWithinTarget(lag);
        } finally {
            away.close().join();
        }
    }
}
