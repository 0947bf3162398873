package io.eventide.demo;

import io.eventide.cli.Host;
import io.eventide.core.BlockedLoopReport;
import io.eventide.core.EventLoop;
import io.eventide.http.topic.LocalTopic;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The live dashboard's data: every loop measures its own lateness with a 25 ms probe timer (the
 * worst since the last publish is kept), and four times a second one JSON snapshot (requests/s,
 * loop lag, busy ratio, connections, heap, watchdog) is published to a topic that every dashboard
 * tab's event stream subscribes to.
 *
 * <p><b>Threading:</b> probes run on their loops; the publisher runs on loop 0; the per-loop
 * maxima are atomic.
 */
public final class Dashboard {
    private static final long PROBE_NANOS = Duration.ofMillis(25).toNanos();
    private static final int STACK_FRAMES = 12;
    private final Host host;
    private final LocalTopic<String> topic = LocalTopic.create("demo-metrics");
    private final Supplier<String> extra;
    private final Consumer<String> out;
    private final AtomicLongArray worstLag;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long lastResponses;
    private long lastAt = System.nanoTime();

    /** @param host the host whose metrics are shown */
    public Dashboard(Host host) {
        this(host, () -> "", null);
    }

    /**
     * For {@code --cluster}: each snapshot starts with {@code extra}'s fields (which worker, its jobs,
     * its rooms) and goes to {@code out} (the bus, which brings every worker's to every page).
     *
     * @param host the host whose metrics are shown
     * @param extra JSON fields ending with a comma, read on loop 0 at each publish
     * @param out where snapshots go; null for this dashboard's own {@link #topic()}
     */
    Dashboard(Host host, Supplier<String> extra, Consumer<String> out) {
        this.host = host;
        this.extra = extra;
        this.out = out == null ? topic::publish : out;
        int n = host.group().size();
        this.worstLag = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            startProbe(i, host.group().loop(i));
        }
        host.group().loop(0).setInterval(Duration.ofMillis(250), this::publish);
    }

    /** @return the topic dashboard streams subscribe to */
    public LocalTopic<String> topic() {
        return topic;
    }

    private void startProbe(int i, EventLoop loop) {
        long[] expected = {System.nanoTime() + PROBE_NANOS};
        loop.setInterval(Duration.ofNanos(PROBE_NANOS), () -> {
            long now = System.nanoTime();
            long late = Math.max(0, now - expected[0]);
            worstLag.accumulateAndGet(i, late, Math::max);
            expected[0] = now + PROBE_NANOS;
        });
    }

    private void publish() {
        long now = System.nanoTime();
        long responses = 0;
        for (int c = 1; c <= 5; c++) {
            responses += host.http().responses(c);
        }
        double secs = (now - lastAt) / 1e9;
        double rps = secs > 0 ? (responses - lastResponses) / secs : 0;
        lastResponses = responses;
        lastAt = now;
        StringBuilder lag = new StringBuilder("[");
        StringBuilder busy = new StringBuilder("[");
        for (int i = 0; i < worstLag.length(); i++) {
            lag.append(i == 0 ? "" : ",").append(fmt(worstLag.getAndSet(i, 0) / 1e6));
            busy.append(i == 0 ? "" : ",").append(fmt(host.loops().busyRatio(i)));
        }
        BlockedLoopReport r = host.lastBlocked();
        String watchdog = r == null ? "null" : watchdogJson(r);
        out.accept("{" + extra.get() + "\"t\":" + System.currentTimeMillis() + ",\"rps\":" + fmt(rps) + ",\"lagMs\":" + lag + "]"
                + ",\"busy\":" + busy + "],\"connections\":" + host.http().connections()
                + ",\"heapMb\":" + fmt(memory.getHeapMemoryUsage().getUsed() / 1048576.0)
                + ",\"watchdogReports\":" + host.group().watchdogReports() + ",\"watchdog\":" + watchdog
                + ",\"shed\":" + host.metrics().shedCount() + "}");
    }

    /** The report, the index of its loop (to find that loop's lag series) and its top frames. */
    private String watchdogJson(BlockedLoopReport r) {
        int index = -1;
        for (int i = 0; i < host.group().size(); i++) {
            if (host.group().loop(i).name().equals(r.loopName())) {
                index = i;
            }
        }
        StringBuilder stack = new StringBuilder("[");
        StackTraceElement[] frames = r.stack();
        for (int i = 0; i < Math.min(STACK_FRAMES, frames.length); i++) {
            stack.append(i == 0 ? "" : ",").append(JsonText.quote(frames[i].toString()));
        }
        return "{\"loop\":" + JsonText.quote(r.loopName()) + ",\"loopIndex\":" + index + ",\"handler\":"
                + JsonText.quote(r.handler()) + ",\"ms\":" + r.blockedFor().toMillis() + ",\"stack\":" + stack + "]}";
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
