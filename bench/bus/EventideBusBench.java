import io.eventide.bus.Bus;
import io.eventide.bus.ConsumerOptions;
import io.eventide.bus.Handler;
import io.eventide.bus.Message;
import io.eventide.bus.kafka.KafkaOptions;
import io.eventide.bus.kafka.KafkaTransport;
import io.eventide.bus.nats.NatsOptions;
import io.eventide.bus.nats.NatsTransport;
import io.eventide.bus.rabbitmq.RabbitOptions;
import io.eventide.bus.rabbitmq.RabbitTransport;
import io.eventide.bus.spi.Transport;
import io.eventide.core.EventLoop;
import io.eventide.core.Histogram;
import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Eventide's side of bench/bus/run.sh: `./eventide run bench/bus/EventideBusBench.java BRIDGE MODE [k=v...]`.
 *
 *   BRIDGE  rabbitmq | kafka | nats
 *   MODE    throughput: N messages of SIZE bytes sent (at most WINDOW unconfirmed) and consumed
 *                       (credit CREDIT, acknowledged after the handler); prints messages/s end to end
 *                       and CPU time of this process per message
 *           stall:      RATE messages/s for SECONDS; from second 3 the broker process STALL_PID is
 *                       stopped (SIGSTOP) for STALL seconds, then continued; prints loop lag
 *                       (1 ms probe) p50/p99/p99.9/max, watchdog reports, sends refused
 *   keys    messages=100000 size=256 window=1000 credit=256 bootstrap=127.0.0.1:9092 rate=2000
 *           seconds=10 stall=5 stall_pid=PID
 * One RESULT line on stdout, key=value, for run.sh.
 */
public class EventideBusBench {
    public static void main(String[] args) throws Exception {
        String bridge = args[0];
        String mode = args[1];
        java.util.Map<String, String> kv = new java.util.HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] p = args[i].split("=", 2);
            kv.put(p[0], p[1]);
        }
        AtomicLong blocked = new AtomicLong();
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(2).lagProbeInterval(Duration.ofMillis(1))
                .onBlocked(r -> blocked.incrementAndGet()).build());
        Transport t = switch (bridge) {
            case "rabbitmq" -> RabbitTransport.create(RabbitOptions.defaults());
            case "kafka" -> KafkaTransport.create(KafkaOptions.defaults().bootstrapServers(kv.getOrDefault("bootstrap", "127.0.0.1:9092")));
            case "nats" -> NatsTransport.create(NatsOptions.defaults());
            default -> throw new IllegalArgumentException("bridge: rabbitmq | kafka | nats");
        };
        Bus bus = Bus.create(group).bridge("", t);
        String address = "eventide_bench_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            if (mode.equals("throughput")) {
                throughput(bus, group, address, kv);
            } else {
                stall(bus, group, address, kv, blocked);
            }
        } finally {
            cleanUp(t, address);
            bus.closeAsync().get(30, TimeUnit.SECONDS);
            group.close(Duration.ofSeconds(5)).join();
        }
        System.exit(0);
    }

    static void throughput(Bus bus, LoopGroup group, String address, java.util.Map<String, String> kv) throws Exception {
        int n = Integer.parseInt(kv.getOrDefault("messages", "100000"));
        int size = Integer.parseInt(kv.getOrDefault("size", "256"));
        int window = Integer.parseInt(kv.getOrDefault("window", "1000"));
        int credit = Integer.parseInt(kv.getOrDefault("credit", "256"));
        CountDownLatch consumed = new CountDownLatch(n);
        bus.consume(group.loop(1), address, ConsumerOptions.defaults().credit(credit), Handler.sync(d -> consumed.countDown()));
        // Warm-up: one round trip, so topic/queue/stream creation is not timed.
        bus.send(address, Message.of("warm-up")).join(Duration.ofSeconds(60));
        while (consumed.getCount() == n) {
            Thread.sleep(10);
        }
        CountDownLatch all = new CountDownLatch(n);
        Semaphore inFlight = new Semaphore(window);
        Message m = Message.of(new byte[size]);
        EventLoop producer = group.loop(0);
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            producer.execute(() -> bus.send(address, m).whenComplete((v, e) -> {
                inFlight.release();
                if (e != null) {
                    System.err.println("send failed: " + e);
                }
            }));
        }
        if (!consumed.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("not everything was consumed");
        }
        long t1 = System.nanoTime();
        long cpu1 = cpuNanos();
        double secs = (t1 - t0) / 1e9;
        System.out.printf("RESULT client=eventide bridge=%s mode=throughput messages=%d size=%d seconds=%.3f msgs_per_s=%.0f cpu_us_per_msg=%.2f%n",
                kvBridge(bus, address), n, size, secs, n / secs, (cpu1 - cpu0) / 1e3 / n);
    }

    static void stall(Bus bus, LoopGroup group, String address, java.util.Map<String, String> kv, AtomicLong blocked)
            throws Exception {
        int rate = Integer.parseInt(kv.getOrDefault("rate", "2000"));
        int seconds = Integer.parseInt(kv.getOrDefault("seconds", "10"));
        int stallSecs = Integer.parseInt(kv.getOrDefault("stall", "5"));
        String pid = kv.get("stall_pid");
        bus.consume(group.loop(1), address, ConsumerOptions.defaults(), Handler.sync(d -> { }));
        bus.send(address, Message.of("warm-up")).join(Duration.ofSeconds(60));
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Message m = Message.of(new byte[256]);
        EventLoop producer = group.loop(0);
        for (EventLoop l : group.loops()) {
            l.lag().reset();
        }
        int perMs = Math.max(1, rate / 1000);
        io.eventide.core.Timer tick = producer.setInterval(Duration.ofMillis(1), () -> {
            for (int i = 0; i < perMs; i++) {
                bus.send(address, m).whenComplete((v, e) -> (e == null ? accepted : refused).incrementAndGet());
            }
        });
        Thread.sleep(3_000);
        if (pid != null) {
            signal("STOP", pid);
        }
        Thread.sleep(stallSecs * 1000L);
        if (pid != null) {
            signal("CONT", pid);
        }
        Thread.sleep(Math.max(0, seconds - 3 - stallSecs) * 1000L);
        tick.cancel();
        Histogram lag = group.loop(0).lag();
        Histogram lag1 = group.loop(1).lag();
        System.out.printf("RESULT client=eventide bridge=%s mode=stall lag_p50_ms=%.2f lag_p99_ms=%.2f lag_p999_ms=%.2f lag_max_ms=%.2f "
                + "watchdog_reports=%d accepted=%d refused=%d%n", kvBridge(bus, address),
                Math.max(lag.percentile(50), lag1.percentile(50)) / 1e6, Math.max(lag.percentile(99), lag1.percentile(99)) / 1e6,
                Math.max(lag.percentile(99.9), lag1.percentile(99.9)) / 1e6, Math.max(lag.max(), lag1.max()) / 1e6,
                blocked.get(), accepted.get(), refused.get());
    }

    static String kvBridge(Bus bus, String address) {
        String n = bus.transportOf(address).name();
        return n.startsWith("rabbitmq") ? "rabbitmq" : n.startsWith("kafka") ? "kafka" : "nats";
    }

    static void signal(String sig, String pid) throws Exception {
        new ProcessBuilder("kill", "-" + sig, pid).inheritIO().start().waitFor();
    }

    static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    static void cleanUp(Transport t, String address) {
        try {
            if (t instanceof RabbitTransport r) {
                r.deleteQueue(address);
            } else if (t instanceof NatsTransport n) {
                n.deleteStream(address);
            } else if (t instanceof KafkaTransport k) {
                k.deleteTopic(address);
            }
        } catch (RuntimeException e) {
            System.err.println("clean-up of " + address + " failed: " + e.getMessage());
        }
    }
}
