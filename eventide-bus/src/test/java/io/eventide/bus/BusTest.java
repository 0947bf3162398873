package io.eventide.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.bus.testing.BusTesting;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local bus: its three verbs, handlers on their loops, credit, bounded queues and overflow. */
class BusTest {
    private LoopGroup group;
    private Bus bus;

    @BeforeEach
    void setUp() {
        group = BusTesting.group(3);
        bus = Bus.create(group);
    }

    @AfterEach
    void tearDown() {
        bus.close();
        group.close(Duration.ofSeconds(5)).join();
        BusTesting.assertNoWatchdogReports(group);
    }

    @Test
    void publishReachesEverySubscriberOnItsOwnLoop() throws Exception {
        CountDownLatch got = new CountDownLatch(3);
        Map<String, String> threads = new ConcurrentHashMap<>();
        for (EventLoop loop : group.loops()) {
            bus.subscribe(loop, "news", ConsumerOptions.defaults(), Handler.sync(d -> {
                assertThat(d.loop().inLoop()).isTrue();
                threads.put(loop.name(), Thread.currentThread().getName() + ":" + d.message().text());
                got.countDown();
            }));
        }
        bus.publish("news", Message.of("hello")).join();
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        for (EventLoop loop : group.loops()) {
            assertThat(threads.get(loop.name())).isEqualTo(loop.name() + ":hello");
        }
    }

    @Test
    void sendGoesToOneConsumerRoundRobin() throws Exception {
        int[] counts = new int[3];
        CountDownLatch got = new CountDownLatch(30);
        for (int i = 0; i < 3; i++) {
            int k = i;
            bus.consume(group.loop(i), "work", ConsumerOptions.defaults(), Handler.sync(d -> {
                counts[k]++;
                got.countDown();
            }));
        }
        for (int i = 0; i < 30; i++) {
            bus.send("work", Message.of("job " + i)).join();
        }
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        for (EventLoop loop : group.loops()) { // read each count on its own loop
            int i = group.loops().indexOf(loop);
            assertThat(Promise.resolved(loop, 0).map(x -> counts[i]).join()).isEqualTo(10);
        }
    }

    @Test
    void sendWithoutConsumerFails() {
        assertThatThrownBy(() -> bus.send("nobody", Message.of("x")).join())
                .isInstanceOf(BusException.class).hasMessageContaining("no consumer for address nobody");
    }

    @Test
    void requestGetsTheReplyOnTheCallersLoop() {
        bus.consume(group.loop(1), "greet", ConsumerOptions.defaults(),
                Handler.sync(d -> d.reply(Message.of("hi " + d.message().text()).header("from", d.loop().name()))));
        EventLoop caller = group.loop(0);
        Promise<String> answer = Promise.<String>resolved(caller, null).flatMap(x ->
                bus.request("greet", Message.of("ada"), Duration.ofSeconds(10))
                        .map(m -> m.text() + " from " + m.header("from") + " seen on " + Thread.currentThread().getName()));
        assertThat(answer.join()).isEqualTo("hi ada from " + group.loop(1).name() + " seen on " + caller.name());
    }

    @Test
    void requestTimesOutWhenNobodyReplies() {
        bus.consume(group.loop(1), "slow", ConsumerOptions.defaults(), d -> d.loop().promise()); // never settles
        assertThatThrownBy(() -> bus.request("slow", Message.empty(), Duration.ofMillis(50)).join())
                .isInstanceOf(DeadlineExceededException.class);
    }

    @Test
    void requestFailsWhenTheHandlerFailsOrDoesNotReply() {
        bus.consume(group.loop(1), "broken", ConsumerOptions.defaults(),
                d -> Promise.failed(d.loop(), new IllegalStateException("disk full")));
        bus.consume(group.loop(1), "mute", ConsumerOptions.defaults(), Handler.sync(d -> { }));
        bus.consume(group.loop(1), "refuse", ConsumerOptions.defaults(), Handler.sync(d -> d.fail("not today")));
        assertThatThrownBy(() -> bus.request("broken", Message.empty(), Duration.ofSeconds(10)).join())
                .isInstanceOf(BusException.class).hasMessageContaining("disk full");
        assertThatThrownBy(() -> bus.request("mute", Message.empty(), Duration.ofSeconds(10)).join())
                .isInstanceOf(BusException.class).hasMessageContaining("without replying");
        assertThatThrownBy(() -> bus.request("refuse", Message.empty(), Duration.ofSeconds(10)).join())
                .isInstanceOf(BusException.class).hasMessageContaining("not today");
    }

    @Test
    void jsonWithHeadersRoundTrips() {
        record Order(int id, String item) {
        }
        // Jackson builds a type's (de)serialiser once, ~100 ms on a cold, busy JVM: not on a loop.
        Message.json(new Order(0, "warm")).json(Order.class);
        Message.json(Map.of("ok", true));
        List<Object> seen = new CopyOnWriteArrayList<>();
        bus.consume(group.loop(2), "orders", ConsumerOptions.defaults(), Handler.sync(d -> {
            seen.add(d.message().json(Order.class));
            seen.add(d.message().header("tenant"));
            seen.add(d.message().header(Message.CONTENT_TYPE));
            d.reply(Message.json(Map.of("ok", true)));
        }));
        Message reply = bus.request("orders", Message.json(new Order(42, "book")).header("tenant", "acme"),
                Duration.ofSeconds(10)).join();
        assertThat(seen).containsExactly(new Order(42, "book"), "acme", Message.JSON);
        assertThat(reply.text()).isEqualTo("{\"ok\":true}");
        assertThatThrownBy(() -> Message.of("not json").json(Order.class)).isInstanceOf(BusException.class);
    }

    @Test
    void creditBoundsHandlersInFlight() throws Exception {
        EventLoop loop = group.loop(1);
        List<Promise<Void>> open = new ArrayList<>();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(20);
        BusConsumer c = bus.consume(loop, "credit", ConsumerOptions.defaults().credit(4), d -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Promise<Void> p = d.loop().promise();
            open.add(p);
            d.loop().setTimeout(1, () -> {
                inFlight.decrementAndGet();
                p.resolve(null);
                done.countDown();
            });
            return p;
        });
        for (int i = 0; i < 20; i++) {
            bus.send("credit", Message.of("m" + i)).join();
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        BusTesting.roundTrip(loop); // the last reactions ran in the microtasks after the timer
        assertThat(maxInFlight.get()).isEqualTo(4);
        assertThat(c.processed()).isEqualTo(20);
    }

    @Test
    void rejectPolicyRefusesPastTheBound() {
        EventLoop loop = group.loop(1);
        Promise<Void> gate = loop.promise();
        BusConsumer c = bus.consume(loop, "full", ConsumerOptions.defaults().credit(1).capacity(2), d -> gate);
        for (int i = 0; i < 3; i++) {
            bus.send("full", Message.of("m" + i)).join(); // 1 running + 2 queued
        }
        assertThatThrownBy(() -> bus.send("full", Message.of("m3")).join())
                .isInstanceOf(OverloadException.class).hasMessageContaining("every consumer of full is full");
        assertThat(c.dropped()).isEqualTo(1);
        gate.resolve(null);
    }

    @Test
    void dropNewestKeepsTheFirstAndDropOldestKeepsTheLatest() throws Exception {
        EventLoop loop = group.loop(1);
        for (Overflow policy : List.of(Overflow.DROP_NEWEST, Overflow.DROP_OLDEST)) {
            Promise<Void> gate = loop.promise();
            List<String> handled = new CopyOnWriteArrayList<>();
            CountDownLatch three = new CountDownLatch(3);
            String address = "feed-" + policy;
            BusConsumer c = bus.subscribe(loop, address, ConsumerOptions.defaults().credit(1).capacity(2).overflow(policy),
                    d -> {
                        handled.add(d.message().text());
                        three.countDown();
                        return handled.size() == 1 ? gate : null;
                    });
            // The first message holds the only credit until the gate opens; six more arrive meanwhile.
            for (int i = 0; i < 7; i++) {
                bus.publish(address, Message.of("m" + i)).join();
            }
            BusTesting.roundTrip(loop); // everything offered has reached the loop's queue
            gate.resolve(null);
            assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
            BusTesting.roundTrip(loop);
            if (policy == Overflow.DROP_NEWEST) {
                assertThat(handled).containsExactly("m0", "m1", "m2");
            } else {
                assertThat(handled).containsExactly("m0", "m5", "m6");
            }
            assertThat(c.dropped()).isEqualTo(4);
        }
    }

    @Test
    void cancelledConsumerGetsNothingMore() {
        AtomicInteger n = new AtomicInteger();
        BusConsumer c = bus.consume(group.loop(0), "once", ConsumerOptions.defaults(), Handler.sync(d -> n.incrementAndGet()));
        bus.request("once", Message.empty(), Duration.ofSeconds(10)).recover(e -> null).join();
        c.cancel();
        assertThat(c.isActive()).isFalse();
        assertThatThrownBy(() -> bus.send("once", Message.empty()).join()).isInstanceOf(BusException.class);
        assertThat(n.get()).isEqualTo(1);
    }

    @Test
    void loopsOfAnotherGroupAreRefused() {
        LoopGroup other = BusTesting.group(1);
        try {
            assertThatThrownBy(() -> bus.consume(other.loop(0), "x", ConsumerOptions.defaults(), Handler.sync(d -> { })))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            other.close(Duration.ofSeconds(5)).join();
        }
    }
}
