package bench;

import com.rabbitmq.client.AMQP;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.rabbitmq.QueueOptions;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;
import io.vertx.rabbitmq.RabbitMQPublisher;
import io.vertx.rabbitmq.RabbitMQPublisherOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Vert.x's side of bench/bus/run.sh, the same workloads as EventideBusBench with Vert.x 5's
 * RabbitMQ client (publisher confirms through RabbitMQPublisher, a quorum queue, prefetch, manual
 * acks) and Kafka client (acks=all, idempotent producer; consumer committing as it goes).
 *   java -cp $(cat bench/bus/peers/target/classpath.txt):bench/bus/peers/target/bus-peers.jar \
 *     bench.VertxBusBench rabbitmq|kafka throughput|stall [k=v...]   (same keys as EventideBusBench)
 */
public final class VertxBusBench {
    private VertxBusBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> kv = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] p = args[i].split("=", 2);
            kv.put(p[0], p[1]);
        }
        Vertx vertx = Vertx.vertx();
        String address = "vertx_bench_" + UUID.randomUUID().toString().substring(0, 8);
        Side side = args[0].equals("rabbitmq") ? rabbit(vertx, address, kv) : kafka(vertx, address, kv);
        if (args[1].equals("throughput")) {
            throughput(vertx, side, args[0], kv);
        } else {
            stall(vertx, side, args[0], kv);
        }
        side.cleanUp.run();
        vertx.close().await();
        System.exit(0);
    }

    /** A bridge's send, its consumer counter, and its clean-up. */
    record Side(java.util.function.Function<Buffer, Future<?>> send, AtomicLong consumed, Runnable cleanUp) {
    }

    static Side rabbit(Vertx vertx, String queue, Map<String, String> kv) throws Exception {
        int credit = Integer.parseInt(kv.getOrDefault("credit", "256"));
        RabbitMQOptions o = new RabbitMQOptions().setHost("127.0.0.1").setPort(5672).setUser("guest").setPassword("guest");
        RabbitMQClient pubClient = RabbitMQClient.create(vertx, o);
        RabbitMQClient subClient = RabbitMQClient.create(vertx, o);
        pubClient.start().await();
        subClient.start().await();
        subClient.queueDeclare(queue, true, false, false, new JsonObject().put("x-queue-type", "quorum")).await();
        subClient.basicQos(credit).await();
        AtomicLong consumed = new AtomicLong();
        subClient.basicConsumer(queue, new QueueOptions().setAutoAck(false).setMaxInternalQueueSize(credit)).await()
                .handler(msg -> subClient.basicAck(msg.envelope().getDeliveryTag(), false).onSuccess(v -> consumed.incrementAndGet()));
        RabbitMQPublisher publisher = RabbitMQPublisher.create(vertx, pubClient, new RabbitMQPublisherOptions());
        publisher.start().await();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
        return new Side(b -> publisher.publishConfirm("", queue, props, b), consumed, () -> {
            subClient.queueDelete(queue).await();
        });
    }

    static Side kafka(Vertx vertx, String topic, Map<String, String> kv) throws Exception {
        String bootstrap = kv.getOrDefault("bootstrap", "127.0.0.1:9092");
        Map<String, String> pc = new HashMap<>();
        pc.put("bootstrap.servers", bootstrap);
        pc.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        pc.put("value.serializer", "io.vertx.kafka.client.serialization.BufferSerializer");
        pc.put("acks", "all");
        pc.put("enable.idempotence", "true");
        pc.put("linger.ms", "1");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1))).all().get();
        }
        KafkaProducer<byte[], Buffer> producer = KafkaProducer.create(vertx, pc);
        Map<String, String> cc = new HashMap<>();
        cc.put("bootstrap.servers", bootstrap);
        cc.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        cc.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
        cc.put("group.id", "vertx-" + topic);
        cc.put("auto.offset.reset", "earliest");
        cc.put("enable.auto.commit", "false");
        cc.put("max.poll.records", kv.getOrDefault("credit", "256"));
        KafkaConsumer<byte[], Buffer> consumer = KafkaConsumer.create(vertx, cc);
        AtomicLong consumed = new AtomicLong();
        consumer.handler(r -> {
            if (consumed.incrementAndGet() % 256 == 0) {
                consumer.commit();
            }
        });
        consumer.subscribe(topic).await();
        return new Side(b -> producer.send(KafkaProducerRecord.create(topic, b)), consumed, () -> {
            consumer.commit().await();
            consumer.close().await();
            producer.close().await();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.deleteTopics(java.util.List.of(topic)).all().get();
            } catch (Exception e) {
                System.err.println("clean-up failed: " + e);
            }
        });
    }

    static void throughput(Vertx vertx, Side side, String bridge, Map<String, String> kv) throws Exception {
        int n = Integer.parseInt(kv.getOrDefault("messages", "100000"));
        int size = Integer.parseInt(kv.getOrDefault("size", "256"));
        int window = Integer.parseInt(kv.getOrDefault("window", "1000"));
        side.send.apply(Buffer.buffer("warm-up")).await();
        waitFor(() -> side.consumed.get() >= 1);
        long base = side.consumed.get();
        Semaphore inFlight = new Semaphore(window);
        Buffer body = Buffer.buffer(new byte[size]);
        io.vertx.core.Context ctx = vertx.getOrCreateContext();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            ctx.runOnContext(v -> side.send.apply(body).onComplete(ar -> {
                inFlight.release();
                if (ar.failed()) {
                    System.err.println("send failed: " + ar.cause());
                }
            }));
        }
        waitFor(() -> side.consumed.get() - base >= n);
        long t1 = System.nanoTime();
        long cpu1 = cpuNanos();
        double secs = (t1 - t0) / 1e9;
        System.out.printf("RESULT client=vertx bridge=%s mode=throughput messages=%d size=%d seconds=%.3f msgs_per_s=%.0f cpu_us_per_msg=%.2f%n",
                bridge, n, size, secs, n / secs, (cpu1 - cpu0) / 1e3 / n);
    }

    static void stall(Vertx vertx, Side side, String bridge, Map<String, String> kv) throws Exception {
        int rate = Integer.parseInt(kv.getOrDefault("rate", "2000"));
        int seconds = Integer.parseInt(kv.getOrDefault("seconds", "10"));
        int stallSecs = Integer.parseInt(kv.getOrDefault("stall", "5"));
        String pid = kv.get("stall_pid");
        side.send.apply(Buffer.buffer("warm-up")).await();
        long[] lags = new long[seconds * 1000 + 1000];
        int[] count = {0};
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Buffer body = Buffer.buffer(new byte[256]);
        int perMs = Math.max(1, rate / 1000);
        io.vertx.core.Context ctx = vertx.getOrCreateContext();
        CountDownLatch started = new CountDownLatch(1);
        long[] timer = new long[1];
        ctx.runOnContext(v -> {
            long[] last = {System.nanoTime()};
            timer[0] = vertx.setPeriodic(1, id -> {
                long now = System.nanoTime();
                if (count[0] < lags.length) {
                    lags[count[0]++] = Math.max(0, now - last[0] - 1_000_000); // lateness of a 1 ms timer
                }
                last[0] = now;
                for (int i = 0; i < perMs; i++) {
                    side.send.apply(body).onComplete(ar -> (ar.succeeded() ? accepted : refused).incrementAndGet());
                }
            });
            started.countDown();
        });
        started.await();
        Thread.sleep(3_000); // blocking-ok: the bench's main thread times the stall schedule
        if (pid != null) {
            new ProcessBuilder("kill", "-STOP", pid).inheritIO().start().waitFor();
        }
        Thread.sleep(stallSecs * 1000L); // blocking-ok: main thread, stall schedule
        if (pid != null) {
            new ProcessBuilder("kill", "-CONT", pid).inheritIO().start().waitFor();
        }
        Thread.sleep(Math.max(0, seconds - 3 - stallSecs) * 1000L); // blocking-ok: main thread, stall schedule
        CountDownLatch stopped = new CountDownLatch(1);
        ctx.runOnContext(v -> {
            vertx.cancelTimer(timer[0]);
            stopped.countDown();
        });
        stopped.await();
        long[] l = Arrays.copyOf(lags, count[0]);
        Arrays.sort(l);
        System.out.printf("RESULT client=vertx bridge=%s mode=stall lag_p50_ms=%.2f lag_p99_ms=%.2f lag_p999_ms=%.2f lag_max_ms=%.2f "
                + "watchdog_reports=n/a accepted=%d refused=%d%n", bridge, pct(l, 50), pct(l, 99), pct(l, 99.9),
                l.length == 0 ? 0 : l[l.length - 1] / 1e6, accepted.get(), refused.get());
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    static void waitFor(Supplier<Boolean> c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!c.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(1); // blocking-ok: main thread polls a Vert.x-side counter, bounded by the deadline
        }
    }

    static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
