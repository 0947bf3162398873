package io.eventide.bus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.bus.Bus;
import io.eventide.bus.Message;
import io.eventide.core.EventLoop;
import io.eventide.core.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chaos run, the same for every bridge: a producer here sends {@code n} messages with ids (each
 * retried with the same id until the broker acknowledges it); a consumer runs in another process;
 * at a third of the stream the broker is restarted, at two thirds the consumer is killed with
 * {@code kill -9} and a new one started. At the end every acknowledged id must have been processed
 * (unique processed = acknowledged); duplicates are counted and reported, never a failure.
 *
 * <p>Size: {@code -Deventide.bus.chaos.messages} (default {@value #DEFAULT_MESSAGES}; the issue's
 * full run is 100,000: {@code bench/bus/chaos.sh}).
 */
public final class Chaos {
    /** Messages per run in the test suite. */
    public static final int DEFAULT_MESSAGES = 20_000;
    private static final int WINDOW = 2_000;

    /** What a run measured. */
    public record Result(int acknowledged, int uniqueProcessed, int duplicates, long millis) {
        @Override
        public String toString() {
            return String.format("%d acknowledged, %d processed (unique), %d duplicates, %.1f s",
                    acknowledged, uniqueProcessed, duplicates, millis / 1000.0);
        }
    }

    private final String name;
    private final List<String> consumerCommand;
    private final Path dir;
    private final List<Process> consumers = new ArrayList<>();

    /**
     * @param name the bridge, for the report
     * @param consumerMain the class whose main runs {@link ChaosConsumer#run} with args {@code address out}
     * @param extraArgs arguments before {@code address out} (a broker address, say)
     * @throws IOException if the work directory cannot be made
     */
    public Chaos(String name, Class<?> consumerMain, List<String> extraArgs) throws IOException {
        this.name = name;
        this.dir = Files.createTempDirectory("eventide-chaos-" + name);
        this.consumerCommand = new ArrayList<>(List.of(ChildJvm.java(), "-Xmx256m", "-cp", ChildJvm.classPath(),
                consumerMain.getName()));
        this.consumerCommand.addAll(extraArgs);
    }

    /** @return the configured size */
    public static int messages() {
        return Integer.getInteger("eventide.bus.chaos.messages", DEFAULT_MESSAGES);
    }

    private Process startConsumer(String address) throws IOException {
        List<String> cmd = new ArrayList<>(consumerCommand);
        cmd.add(address);
        cmd.add(dir.resolve("processed-" + consumers.size() + ".txt").toString());
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("consumer-" + consumers.size() + ".err").toFile()).start();
        consumers.add(p);
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("consumer started (see " + dir + ")").isEqualTo("CONSUMING");
        return p;
    }

    /**
     * Runs the scenario.
     *
     * @param bus a bus whose {@code address} is bridged
     * @param loop the producer's loop
     * @param address a fresh queue
     * @param restartBroker stops and starts the broker (blocking, from this thread)
     * @return what was measured (also printed)
     * @throws Exception on a harness failure
     */
    public Result run(Bus bus, EventLoop loop, String address, Runnable restartBroker) throws Exception {
        int n = messages();
        long start = System.nanoTime();
        Process first = startConsumer(address);
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Semaphore window = new Semaphore(WINDOW);
        AtomicInteger retries = new AtomicInteger();
        boolean restarted = false;
        boolean killed = false;
        for (int i = 0; i < n; i++) {
            window.acquire();
            send(bus, loop, address, i, acked, window, retries);
            if (!restarted && i >= n / 3) {
                restarted = true;
                restartBroker.run();
            }
            if (!killed && i >= 2 * n / 3) {
                killed = true;
                first.destroyForcibly(); // SIGKILL: no shutdown hook, unacknowledged messages go back
                first.waitFor(30, TimeUnit.SECONDS);
                startConsumer(address);
            }
        }
        assertThat(window.tryAcquire(WINDOW, 5, TimeUnit.MINUTES)).as("every send acknowledged").isTrue();
        Result r = awaitProcessed(n, acked, start);
        System.out.printf("chaos %s: %s; %d sends retried%n", name, r, retries.get());
        return r;
    }

    private static void send(Bus bus, EventLoop loop, String address, int i, Set<Integer> acked, Semaphore window,
            AtomicInteger retries) {
        Message m = Message.of("payload " + i).header(Message.MESSAGE_ID, "m-" + i);
        loop.execute(() -> bus.send(address, m).whenComplete((v, e) -> {
            if (e == null) {
                acked.add(i);
                window.release();
            } else {
                retries.incrementAndGet(); // refused or unconfirmed while the broker restarts: same id again
                loop.setTimeout(50, () -> send(bus, loop, address, i, acked, window, retries));
            }
        }));
    }

    private Result awaitProcessed(int n, Set<Integer> acked, long start) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        Set<String> unique = new HashSet<>();
        int lines = 0;
        while (System.nanoTime() < deadline) {
            unique.clear();
            lines = 0;
            for (File f : dir.toFile().listFiles((d, fn) -> fn.startsWith("processed-"))) {
                for (String id : Files.readAllLines(f.toPath(), StandardCharsets.US_ASCII)) {
                    if (!id.isEmpty()) {
                        unique.add(id);
                        lines++;
                    }
                }
            }
            if (unique.size() >= acked.size()) {
                break;
            }
            Thread.sleep(200); // blocking-ok: polling another process's output, bounded by the deadline
        }
        for (Process p : consumers) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        Set<String> missing = new HashSet<>();
        for (int i : acked) {
            if (!unique.contains("m-" + i)) {
                missing.add("m-" + i);
            }
        }
        assertThat(acked).as("acknowledged").hasSize(n);
        assertThat(missing).as("acknowledged but never processed (lost)").isEmpty();
        return new Result(acked.size(), unique.size(), lines - unique.size(), (System.nanoTime() - start) / 1_000_000);
    }
}
