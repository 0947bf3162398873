package io.eventide.example.shop;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service's log: one line per request or message, written to standard output by a thread of its
 * own, so a loop never waits for a slow disk or pipe. A loop only offers the line to a bounded queue;
 * when the writer falls {@value #CAPACITY} lines behind, lines are dropped and counted, and the
 * count is written once the writer catches up.
 *
 * <pre>
 *   2025-01-01T12:00:00.123Z catalog trace=4bf9… span=a1b2… parent=00f0… GET /products/1 200 1.9ms
 * </pre>
 *
 * <p><b>Threading:</b> any thread; {@link #line} never blocks. {@link #flush} blocks (exit hooks).
 */
final class ShopLog {
    static final int CAPACITY = 65_536;
    private static final String EOF_MARK = "\u0000eof";

    private final String service;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final PrintStream out;
    private final Thread writer;

    private ShopLog(String service, OutputStream out) {
        this.service = service;
        this.out = new PrintStream(out, false, StandardCharsets.UTF_8);
        this.writer = new Thread(this::drain, service + "-log");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * @param service the name at the start of each line
     * @return a log writing to standard output
     */
    static ShopLog start(String service) {
        return new ShopLog(service, new java.io.FileOutputStream(java.io.FileDescriptor.out));
    }

    /** @param text one line, without the time and service name; never blocks */
    void line(String text) {
        if (!queue.offer(Instant.now() + " " + service + " " + text)) {
            dropped.incrementAndGet();
        }
    }

    /** Writes what is queued and waits (up to two seconds) for it to reach the stream. Blocks. */
    void flush() {
        if (queue.offer(EOF_MARK)) {
            try {
                writer.join(2_000); // blocking-ok: flush() is called off the loops (exit paths)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.flush();
    }

    private void drain() {
        List<String> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, 1024);
                for (String s : batch) {
                    if (s.equals(EOF_MARK)) { // a logged line starts with its time, so never equals it
                        out.flush();
                        return;
                    }
                    out.println(s);
                }
                batch.clear();
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    out.println(Instant.now() + " " + service + " log: " + lost + " lines dropped (writer behind)");
                }
                if (queue.isEmpty()) {
                    out.flush(); // whole lines reach the file as soon as the queue is empty
                }
            }
        } catch (InterruptedException e) {
            out.flush();
        }
    }

    /** @return lines not written because the queue was full, since the last report */
    long dropped() {
        return dropped.get();
    }
}
