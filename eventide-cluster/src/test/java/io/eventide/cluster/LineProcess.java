package io.eventide.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A started process whose output lines (standard output and error) are kept; every wait is bounded. */
final class LineProcess {
    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    LineProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    seen.add(l);
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("(output closed: " + e + ")");
            }
        });
    }

    String await(Predicate<String> p, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null && p.test(l)) {
                return l;
            }
            if (l == null && !process.isAlive()) {
                break;
            }
        }
        throw new AssertionError("no line for: " + what + "; output:\n" + String.join("\n", seen));
    }

    int count(Predicate<String> p) {
        synchronized (seen) {
            return (int) seen.stream().filter(p).count();
        }
    }

    /** @return every line so far */
    List<String> output() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }
}
