package io.eventide.http.internal.blocking;

import io.eventide.core.BlockedLoopReport;
import io.eventide.core.LoopGroup;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Detects virtual threads of blocking routes that pin their carrier, from JFR's
 * {@code jdk.VirtualThreadPinned} event (JDK 21+; {@code -Djdk.tracePinnedThreads} is gone since
 * JDK 24), streamed in-process on a daemon thread. Each event from a registered thread becomes a
 * {@link BlockedLoopReport} for its loop group's watchdog sink, naming the route and carrying the
 * pinned thread's stack. JFR delivers events in batches about once a second, so a report comes
 * that much after the fact; a thread that already finished is still found (the last
 * {@value #REMEMBERED} threads are remembered).
 *
 * <p>Threshold: {@value #THRESHOLD_MS} ms, JFR's own default. (Configuration is read by the host's
 * {@code HostConfig} only; the library reads no system properties.)
 * If JFR is not available in this runtime, detection is off and that is logged once.
 *
 * <p><b>Threading:</b> any thread registers; events are handled on the JFR stream's thread.
 */
public final class PinnedThreads {
    static final int REMEMBERED = 4096;
    private static final System.Logger LOG = System.getLogger("io.eventide.http");
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    // Guarded by itself. Thread name -> where to report; JFR names threads by their Java name.
    private static final Map<String, Target> THREADS = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Target> eldest) {
            return size() > REMEMBERED;
        }
    };

    private record Target(LoopGroup group, String route, AtomicLong counter) {
    }

    private PinnedThreads() {
    }

    /** Pinning shorter than this is not reported, in milliseconds. */
    static final long THRESHOLD_MS = 20;

    /** Starts the JFR stream once per process. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        try {
            RecordingStream rs = new RecordingStream();
            rs.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ofMillis(
                    THRESHOLD_MS)).withStackTrace();
            rs.onEvent("jdk.VirtualThreadPinned", PinnedThreads::pinned);
            rs.setReuse(false);
            Thread t = new Thread(rs::start, "eventide-pinning-monitor");
            t.setDaemon(true);
            t.start();
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "JFR is not available (" + t + "): pinned virtual threads of blocking routes "
                    + "will not be reported");
        }
    }

    /**
     * @param t a blocking route's thread, not yet started
     * @param group whose watchdog sink hears of it
     * @param route e.g. {@code GET /report}
     * @param counter counts its events
     */
    public static void register(Thread t, LoopGroup group, String route, AtomicLong counter) {
        synchronized (THREADS) {
            THREADS.put(t.getName(), new Target(group, route, counter));
        }
    }

    private static void pinned(RecordedEvent e) {
        RecordedThread rt = e.getThread("eventThread");
        String name = rt == null ? null : rt.getJavaName();
        Target target;
        synchronized (THREADS) {
            target = name == null ? null : THREADS.get(name);
        }
        if (target == null) {
            return; // not one of ours
        }
        target.counter().incrementAndGet();
        List<RecordedFrame> frames = e.getStackTrace() == null ? List.of() : e.getStackTrace().getFrames();
        StackTraceElement[] stack = new StackTraceElement[frames.size()];
        for (int i = 0; i < stack.length; i++) {
            RecordedFrame f = frames.get(i);
            stack[i] = new StackTraceElement(f.getMethod().getType().getName(), f.getMethod().getName(), null,
                    f.getLineNumber());
        }
        BlockedLoopReport r = new BlockedLoopReport("virtual thread '" + name + "' (its carrier was pinned)",
                target.route() + " [blocking route]", e.getDuration(), stack);
        try {
            target.group().options().onBlocked().accept(r);
        } catch (RuntimeException ex) {
            LOG.log(Level.ERROR, "the onBlocked sink threw on a pinning report", ex);
        }
    }
}
