package io.eventide.bus.testing;

import io.eventide.bus.Bus;
import io.eventide.bus.BusConsumer;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Message;
import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backpressure scenario, the same for every bridge: a slow consumer (credit 8, 2 ms per message:
 * at most 4,000 messages/s) and a producer bursting at ten times that for a few seconds. The broker
 * holds the backlog; this process holds at most its bounded sends and the consumer's credit. Measured:
 * heap after a full GC before and after the burst (flat within ±10 %), RSS, loop-lag p99.9, what was
 * accepted and what was refused as overload.
 */
public final class Backpressure {
    /** Messages per second the consumer can take. */
    public static final int CONSUMER_RATE = 4_000;

    /** What a run measured. */
    public record Result(long heapBeforeBytes, long heapAfterBytes, long rssBeforeKb, long rssAfterKb,
            double lagP999Ms, long accepted, long refused, long consumed) {
        /** @return the heap change as a fraction of the heap before */
        public double heapChange() {
            return (heapAfterBytes - heapBeforeBytes) / (double) heapBeforeBytes;
        }

        /** @return the RSS change as a fraction of the RSS before */
        public double rssChange() {
            return (rssAfterKb - rssBeforeKb) / (double) rssBeforeKb;
        }

        @Override
        public String toString() {
            return String.format("heap after GC %.1f -> %.1f MB (%+.1f %%), RSS %d -> %d MB, loop lag p99.9 %.2f ms, "
                    + "%d sends accepted, %d refused as overload, %d consumed", heapBeforeBytes / 1e6, heapAfterBytes / 1e6,
                    heapChange() * 100, rssBeforeKb / 1024, rssAfterKb / 1024, lagP999Ms, accepted, refused, consumed);
        }
    }

    private Backpressure() {
    }

    /**
     * @param name the bridge, for the report
     * @param bus a bus whose {@code address} is bridged
     * @param group the bus's loops (two at least: producer on 0, consumer on 1)
     * @param address a fresh queue
     * @param seconds how long the burst lasts
     * @return what was measured (also printed)
     * @throws InterruptedException if interrupted
     */
    public static Result run(String name, Bus bus, LoopGroup group, String address, int seconds) throws InterruptedException {
        EventLoop producer = group.loop(0);
        EventLoop consumerLoop = group.loop(1);
        AtomicLong consumed = new AtomicLong();
        BusConsumer c = bus.consume(consumerLoop, address, ConsumerOptions.defaults().credit(8), d -> {
            Promise<Void> p = d.loop().promise();
            d.loop().setTimeout(2, () -> {
                consumed.incrementAndGet();
                p.resolve(null);
            });
            return p;
        });
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        // A first, identical burst warms up classes, buffers, the JIT and the clients' pools; both
        // readings are taken once the sends in flight are confirmed, so they compare steady states.
        burst(bus, producer, address, seconds, accepted, refused);
        drain(bus, address);
        long heapBefore = heapAfterGc();
        long rssBefore = rssKb();
        accepted.set(0);
        refused.set(0);
        BusTesting.resetLag(group.loops());
        burst(bus, producer, address, seconds, accepted, refused);
        double lag = BusTesting.lagP999Millis(group.loops());
        drain(bus, address);
        long heapAfter = heapAfterGc();
        long rssAfter = rssKb();
        c.cancel();
        Result r = new Result(heapBefore, heapAfter, rssBefore, rssAfter, lag, accepted.get(), refused.get(), consumed.get());
        System.out.printf("backpressure %s: %s%n", name, r);
        return r;
    }

    /** Sends at ten times the consumer's rate: 40 messages every millisecond, for {@code seconds}. */
    private static void burst(Bus bus, EventLoop loop, String address, int seconds, AtomicLong accepted,
            AtomicLong refused) throws InterruptedException {
        int perTick = 10 * CONSUMER_RATE / 1000;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(1);
        Message m = Message.of(new byte[256]);
        Timer[] t = new Timer[1];
        loop.execute(() -> t[0] = loop.setInterval(java.time.Duration.ofMillis(1), () -> {
            if (System.nanoTime() > end) {
                t[0].cancel();
                done.countDown();
                return;
            }
            for (int i = 0; i < perTick; i++) {
                bus.send(address, m).whenComplete((v, e) -> {
                    if (e == null) {
                        accepted.incrementAndGet();
                    } else if (e instanceof OverloadException) {
                        refused.incrementAndGet();
                    }
                });
            }
        }));
        done.await(seconds + 60L, TimeUnit.SECONDS);
    }

    private static void drain(Bus bus, String address) throws InterruptedException {
        io.eventide.bus.spi.Transport t = bus.transportOf(address);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (t != null && t.pendingSends() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // blocking-ok: waiting for the broker's confirmations, bounded
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
