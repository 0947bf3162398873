package io.eventide.cli;

import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.HttpServer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional access log of a hosted app ({@code access-log} = {@code common}, {@code combined} or
 * {@code json}): one line per request, written when its response ended or when its connection
 * closed before that (the client left mid-response).
 *
 * <p>Formats:
 * <ul>
 *   <li>{@code common}: the Common Log Format, {@code 127.0.0.1 - - [06/Dec/2026:05:52:16 +0000] "GET /a?b=1 HTTP/1.1" 200 12};</li>
 *   <li>{@code combined}: the Combined Log Format, the same plus {@code "Referer" "User-Agent"};</li>
 *   <li>{@code json}: one JSON object a line, with {@code time}, {@code remote}, {@code method},
 *       {@code path}, {@code query}, {@code version}, {@code status}, {@code bytes},
 *       {@code duration_ms}, {@code completed}, {@code referer}, {@code user_agent}.</li>
 * </ul>
 * Common and Combined stay exactly the formats log analysers read, so the duration and whether the
 * response completed are in the JSON lines only. {@code bytes} are the response body's bytes
 * (after compression). A request whose client left before the head went out is logged with status
 * 499, as nginx does; one that left mid-body with the status it was sent, {@code completed: false},
 * and the body bytes produced until then.
 *
 * <p>Where lines go ({@code access-log.file}): empty (the default), the SLF4J logger
 * {@code eventide.access} at INFO, so the app's backend decides; {@code -}, standard output, bare
 * lines (for containers); a path, appended to that file.
 *
 * <p>Cost on the loop: the line is formatted there into a per-thread builder (the timestamp is
 * formatted once a second) and offered to a bounded queue, without waking anyone while traffic
 * flows; one thread, {@code eventide-access-log}, does the I/O, in batches, every
 * {@value #POLL_MILLIS} ms at most. When it falls behind by {@value #CAPACITY} lines, further lines are
 * dropped and counted ({@link #dropped()}, reported on the log) rather than holding a loop.
 *
 * <p><b>Threading:</b> {@link #done} is called on the request's loop (any loop); {@link #close} from
 * any thread but a loop (it waits for the writer).
 */
final class AccessLog implements HttpServer.ResponseListener, AutoCloseable {
    static final String LOGGER = "eventide.access";
    static final int CAPACITY = 16_384;
    /** How often the writer looks at the queue while lines keep coming. */
    static final int POLL_MILLIS = 10;
    /** Empty looks after which the writer parks until a line wakes it. */
    static final int IDLE_POLLS = 50;
    private static final String STOP = new String("stop"); // identity marks the end of the queue
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    enum Format { COMMON, COMBINED, JSON }

    /** Where the writer thread puts lines. */
    private interface Sink extends AutoCloseable {
        void write(String line) throws IOException;

        void flush() throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Format format;
    private final String destination;
    private final Sink sink;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    /** Lines the sink has taken (guarded by this, for {@link #awaitWritten}). */
    private long written;
    private final Thread writer;
    private final ThreadLocal<Formatter> formatters = ThreadLocal.withInitial(Formatter::new);
    private volatile boolean closed;
    /** Set by the writer while it is parked for long: the next line unparks it. */
    private volatile boolean idle;

    private AccessLog(Format format, String destination, Sink sink) {
        this.format = format;
        this.destination = destination;
        this.sink = sink;
        this.writer = Thread.ofPlatform().name("eventide-access-log").daemon(true).unstarted(this::drainQueue);
        writer.start();
    }

    /**
     * @param config the host's configuration ({@code access-log}, {@code access-log.file})
     * @return the access log, or null when {@code access-log} is {@code off}
     * @throws ConfigException if the file cannot be opened for appending
     */
    static AccessLog create(HostConfig config) {
        String f = config.get("access-log");
        if (f == null || f.equals("off")) {
            return null;
        }
        Format format = Format.valueOf(f.toUpperCase(Locale.ROOT));
        String file = config.get("access-log.file");
        if (file == null || file.isBlank()) {
            Logger log = LoggerFactory.getLogger(LOGGER);
            return new AccessLog(format, "SLF4J logger " + LOGGER, new Sink() {
                @Override
                public void write(String line) {
                    log.info(line);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
        }
        if (file.equals("-")) {
            return new AccessLog(format, "standard output", streamSink(new FileOutputStream(FileDescriptor.out), false));
        }
        try {
            OutputStream out = Files.newOutputStream(Path.of(file), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            return new AccessLog(format, file, streamSink(out, true));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("access-log.file (from " + config.origin("access-log.file") + ") cannot be opened: "
                    + file + ": " + e);
        }
    }

    /**
     * Lines gathered and written whole, up to 32 K characters a write: several processes appending
     * to one file (workers of {@code eventide cluster}) never split each other's lines, as one
     * {@code write} to a file opened for appending lands in one piece.
     */
    private static Sink streamSink(OutputStream out, boolean closeIt) {
        StringBuilder pending = new StringBuilder(40 * 1024);
        return new Sink() {
            @Override
            public void write(String line) throws IOException {
                if (pending.length() + line.length() >= 32 * 1024) {
                    writePending();
                }
                pending.append(line).append('\n');
            }

            private void writePending() throws IOException {
                if (!pending.isEmpty()) {
                    out.write(pending.toString().getBytes(StandardCharsets.UTF_8));
                    pending.setLength(0);
                }
            }

            @Override
            public void flush() throws IOException {
                writePending();
                out.flush();
            }

            @Override
            public void close() throws IOException {
                flush();
                if (closeIt) {
                    out.close();
                }
            }
        };
    }

    /** @return where the lines go, for the startup line */
    String destination() {
        return destination;
    }

    /** @return the format */
    Format format() {
        return format;
    }

    /** @return lines dropped because the writer fell {@value #CAPACITY} lines behind */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void done(HttpRequest req, HttpResponse res, boolean completed) {
        if (closed) {
            return;
        }
        String line = formatters.get().format(format, req, res, completed);
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        } else if (idle) {
            LockSupport.unpark(writer); // the first line after a quiet spell: wake the writer now
        }
    }

    /**
     * The writer thread: takes lines in batches, flushes whenever the queue runs empty. While lines
     * keep coming it looks at the queue every {@value #POLL_MILLIS} ms instead of being woken for
     * each line (a wake-up per request, a futex call on the loop, cost more than the formatting);
     * after {@value #IDLE_POLLS} empty looks it parks until the next line wakes it.
     */
    private void drainQueue() {
        List<String> batch = new ArrayList<>(256);
        long reportedDrops = 0;
        boolean stop = false;
        int empty = 0;
        while (!stop) {
            queue.drainTo(batch, 256);
            if (batch.isEmpty()) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                if (++empty < IDLE_POLLS) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)); // blocking-ok: the writer thread
                } else {
                    idle = true;
                    if (queue.isEmpty()) {
                        // A line offered while idle was being set may not unpark: look again in 1 s at worst.
                        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // blocking-ok: the writer thread
                    }
                    idle = false;
                }
                continue;
            }
            empty = 0;
            int n = 0;
            try {
                for (String line : batch) {
                    if (line == STOP) {
                        stop = true;
                        break;
                    }
                    sink.write(line);
                    n++;
                }
                if (stop || queue.isEmpty()) {
                    sink.flush();
                }
            } catch (IOException | RuntimeException e) {
                LoggerFactory.getLogger("io.eventide.host").error("access log: cannot write to {}: {}", destination, e.toString());
            }
            batch.clear();
            long d = dropped.get();
            if (d != reportedDrops) {
                LoggerFactory.getLogger("io.eventide.host").warn("access log fell behind: {} lines dropped so far", d);
                reportedDrops = d;
            }
            synchronized (this) {
                written += n;
                notifyAll();
            }
        }
        try {
            sink.close();
        } catch (IOException e) {
            LoggerFactory.getLogger("io.eventide.host").error("access log: cannot close {}: {}", destination, e.toString());
        }
    }

    /**
     * Waits until the sink has taken {@code lines} lines in all (tests read them afterwards).
     *
     * @param lines lines in all since the start
     * @param timeoutMillis how long to wait at most
     * @return whether that many were written in time
     * @throws InterruptedException if interrupted
     */
    synchronized boolean awaitWritten(long lines, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (written < lines) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left); // blocking-ok: test helper, never on a loop
        }
        return true;
    }

    /** Writes what is queued, then stops the writer and closes the file. Idempotent: every caller returns once it is done. */
    @Override
    public void close() {
        try {
            synchronized (queue) {
                if (!closed) {
                    closed = true;
                    queue.offer(STOP, 5, TimeUnit.SECONDS); // blocking-ok: drain thread; the writer is emptying the queue
                }
            }
            LockSupport.unpark(writer);
            writer.join(TimeUnit.SECONDS.toMillis(5)); // blocking-ok: drain thread, not a loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Per-thread (per-loop) state: the builder and the timestamp of the current second. */
    static final class Formatter {
        private final StringBuilder b = new StringBuilder(256);
        private long second = Long.MIN_VALUE;
        private String clfTime;
        private String isoSecond;

        String format(Format format, HttpRequest req, HttpResponse res, boolean completed) {
            long durationNanos = System.nanoTime() - req.startNanos();
            long startMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(durationNanos);
            long sec = Math.floorDiv(startMillis, 1000);
            if (sec != second) {
                Instant t = Instant.ofEpochSecond(sec);
                clfTime = CLF_TIME.format(t);
                isoSecond = ISO_SECOND.format(t);
                second = sec;
            }
            int status = !completed && !res.isCommitted() ? 499 : res.status();
            long bytes = res.bodyBytes();
            String remote = remote(req.remoteAddress());
            b.setLength(0);
            if (format == Format.JSON) {
                b.append("{\"time\":\"").append(isoSecond).append('.');
                pad3(b, (int) Math.floorMod(startMillis, 1000L));
                b.append("Z\",\"remote\":");
                json(b, remote);
                b.append(",\"method\":");
                json(b, req.method());
                b.append(",\"path\":");
                json(b, req.path());
                b.append(",\"query\":");
                json(b, req.query());
                b.append(",\"version\":");
                json(b, req.version());
                b.append(",\"status\":").append(status).append(",\"bytes\":").append(bytes).append(",\"duration_ms\":");
                long micros = TimeUnit.NANOSECONDS.toMicros(durationNanos);
                b.append(micros / 1000).append('.');
                pad3(b, (int) (micros % 1000));
                b.append(",\"completed\":").append(completed).append(",\"referer\":");
                json(b, req.header("Referer"));
                b.append(",\"user_agent\":");
                json(b, req.header("User-Agent"));
                b.append('}');
            } else {
                b.append(remote).append(" - - [").append(clfTime).append("] \"");
                clf(b, req.method());
                b.append(' ');
                clf(b, req.target());
                b.append(' ').append(req.version()).append("\" ").append(status).append(' ');
                if (bytes == 0) {
                    b.append('-');
                } else {
                    b.append(bytes);
                }
                if (format == Format.COMBINED) {
                    b.append(" \"");
                    clfOrDash(b, req.header("Referer"));
                    b.append("\" \"");
                    clfOrDash(b, req.header("User-Agent"));
                    b.append('"');
                }
            }
            return b.toString();
        }

        private static String remote(InetSocketAddress a) {
            if (a == null) {
                return "-";
            }
            InetAddress ip = a.getAddress();
            return ip != null ? ip.getHostAddress() : a.getHostString();
        }

        private static void pad3(StringBuilder b, int n) {
            if (n < 100) {
                b.append('0');
            }
            if (n < 10) {
                b.append('0');
            }
            b.append(n);
        }

        private static void clfOrDash(StringBuilder b, String s) {
            if (s == null || s.isEmpty()) {
                b.append('-');
            } else {
                clf(b, s);
            }
        }

        /** Apache's escaping inside a quoted field: {@code \"}, {@code \\}, and {@code \xhh} for control bytes. */
        private static void clf(StringBuilder b, String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20 || (c >= 0x7f && c <= 0xff)) {
                    b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                } else {
                    b.append(c);
                }
            }
        }

        /** A JSON string, or null. */
        private static void json(StringBuilder b, String s) {
            if (s == null) {
                b.append("null");
                return;
            }
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
    }
}
