package io.eventide.lab.driver;

import io.eventide.core.Histogram;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Load at a constant arrival rate (an open model), measured without coordinated omission.
 *
 * <p>Request k is due at {@code t0 + k / rate}, whatever happened to the requests before it. It is
 * sent on an idle keep-alive connection as soon as it is due; when every connection is busy it
 * waits, oldest first, and its latency still counts from when it was due. So a server that stalls
 * for 300 ms shows 300 ms of queued requests in its percentiles, not the one slow request a closed
 * loop (wrk, ab) would record while it politely stops sending.
 *
 * <pre>
 *   t0          warmup          measured window                      drain
 *   |-------------|================================================|--------|
 *   due: k=0,1,2...            latency = response end - due time     late answers still
 *                              throughput = responses ending here     counted; unanswered
 *                                                                      ones reported
 * </pre>
 *
 * <p>Besides latency it integrates the number of requests due but not answered over the window
 * (Little's L), independently of the latency record, so that {@code L = rate x mean latency} can
 * be checked. Requests still unanswered at the end of the drain are counted as incomplete and
 * recorded with their age at that moment, a lower bound, rather than dropped.
 *
 * <p><b>Threading:</b> {@link #run} blocks its caller, which does all the work on its own thread;
 * call it from a driver process or a test thread, never from an event loop.
 */
public final class OpenModelDriver {
    private static final int MAX_RECONNECTS_PER_CONNECTION = 10;

    /**
     * One kind of request in the mix.
     *
     * <p><b>Threading:</b> immutable value; any thread.
     *
     * @param label name in the results, e.g. {@code cheap}
     * @param path request target, e.g. {@code /plaintext}
     * @param weight relative share of the requests
     */
    public record Target(String label, String path, double weight) {
        /** Validates. */
        public Target {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(path, "path");
            if (!(weight > 0)) {
                throw new IllegalArgumentException("weight must be > 0: " + weight);
            }
        }
    }

    /**
     * What to send.
     *
     * <p><b>Threading:</b> immutable value; any thread.
     *
     * @param host server address
     * @param port server port
     * @param connections keep-alive connections to spread requests over
     * @param rate requests per second
     * @param warmup time sent but not measured
     * @param duration measured window
     * @param drain how long to wait for late answers after the last request is due
     * @param mix request kinds, chosen per request by weight
     * @param seed seeds the choice, so two runs send the same sequence
     */
    public record Config(String host, int port, int connections, double rate, Duration warmup, Duration duration,
            Duration drain, List<Target> mix, long seed) {
        /** Validates. */
        public Config {
            Objects.requireNonNull(host, "host");
            mix = List.copyOf(mix);
            if (connections < 1 || !(rate > 0) || mix.isEmpty()) {
                throw new IllegalArgumentException("need connections >= 1, rate > 0 and a non-empty mix");
            }
            if (warmup.isNegative() || duration.isNegative() || duration.isZero() || drain.isNegative()) {
                throw new IllegalArgumentException("durations must be >= 0 (duration > 0)");
            }
        }
    }

    private final Config config;
    private final byte[][] requests;
    private final double[] cumulative;
    private final Histogram all = new Histogram();
    private final Histogram[] byLabel;
    private final ArrayDeque<DriverConnection> idle = new ArrayDeque<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private Selector selector;
    private InetSocketAddress address;
    private long t0;
    private long measureStart;
    private long measureEnd;
    private long drainDeadline;
    private double periodNanos;
    private long total;
    private long sent;
    private long answered;
    private long answeredInWindow;
    private long errors;
    private long lost;
    private long reconnectsLeft;
    private long reconnects;
    private int open;
    private double outstandingArea;
    private long lastAccount;
    private long lastDone;

    private OpenModelDriver(Config config) {
        this.config = config;
        int n = config.mix().size();
        this.requests = new byte[n][];
        this.cumulative = new double[n];
        this.byLabel = new Histogram[n];
        double sum = config.mix().stream().mapToDouble(Target::weight).sum();
        double acc = 0;
        for (int i = 0; i < n; i++) {
            Target t = config.mix().get(i);
            requests[i] = ("GET " + t.path() + " HTTP/1.1\r\nHost: " + config.host() + ":" + config.port()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            acc += t.weight() / sum;
            cumulative[i] = acc;
            byLabel[i] = new Histogram();
        }
        cumulative[n - 1] = 1.0;
    }

    /**
     * Runs the load and returns what it measured.
     *
     * @param config what to send
     * @return the measurements
     * @throws IOException when no connection to the server could be opened
     */
    public static OpenModelResult run(Config config) throws IOException {
        return new OpenModelDriver(config).execute();
    }

    private OpenModelResult execute() throws IOException {
        address = new InetSocketAddress(config.host(), config.port());
        try (Selector s = Selector.open()) {
            selector = s;
            List<DriverConnection> conns = DriverConnection.open(s, address, config.connections(),
                    System.nanoTime() + Duration.ofSeconds(30).toNanos());
            if (conns.isEmpty()) {
                throw new IOException("could not connect to " + address);
            }
            idle.addAll(conns);
            open = conns.size();
            reconnectsLeft = (long) MAX_RECONNECTS_PER_CONNECTION * config.connections();
            periodNanos = 1e9 / config.rate();
            t0 = System.nanoTime() + 1_000_000;
            measureStart = t0 + config.warmup().toNanos();
            measureEnd = measureStart + config.duration().toNanos();
            drainDeadline = measureEnd + config.drain().toNanos();
            total = (long) Math.ceil((measureEnd - t0) / periodNanos);
            lastAccount = t0;
            try {
                loop();
                return result(conns.size());
            } finally {
                for (SelectionKey k : s.keys()) {
                    ((DriverConnection) k.attachment()).close();
                }
            }
        }
    }

    /** The driver's loop: send what is due, wait for I/O or the next due time, read answers. */
    private void loop() throws IOException {
        while (true) {
            long now = System.nanoTime();
            account(now);
            if (now >= drainDeadline || (sent == total && answered + lost == total)) {
                return;
            }
            long due = due(now);
            while (sent < due && !idle.isEmpty()) {
                send(idle.poll(), sent++);
            }
            long wake = sent < total && !idle.isEmpty() ? intended(sent) : drainDeadline;
            waitUntil(Math.min(wake, now + 10_000_000)); // wake at least every 10 ms to integrate L
            for (SelectionKey k : selector.selectedKeys()) {
                handle(k);
            }
            selector.selectedKeys().clear();
        }
    }

    /** Waits for I/O until {@code deadline}: select() for whole milliseconds, then spins, since a late
     *  send or read would count as latency (the driver has its load CPU to itself). */
    private void waitUntil(long deadline) throws IOException {
        long wait = deadline - System.nanoTime();
        if (wait >= 1_000_000 && selector.select(wait / 1_000_000) > 0) {
            return;
        }
        while (selector.selectNow() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private long due(long now) {
        if (now < t0) {
            return 0;
        }
        return Math.min(total, (long) ((now - t0) / periodNanos) + 1);
    }

    private long intended(long k) {
        return t0 + (long) (k * periodNanos);
    }

    private void send(DriverConnection c, long k) throws IOException {
        c.intended = intended(k);
        c.label = pick(k);
        try {
            c.send(ByteBuffer.wrap(requests[c.label]));
        } catch (IOException e) {
            fail(c);
        }
    }

    /** Chooses request k's kind from the mix: a hash of (seed, k), so runs are reproducible. */
    int pick(long k) {
        long z = config.seed() + (k + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        double u = (z >>> 11) * 0x1.0p-53;
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    private void handle(SelectionKey k) throws IOException {
        DriverConnection c = (DriverConnection) k.attachment();
        if (!k.isValid()) {
            return;
        }
        if (k.isConnectable()) {
            if (c.finish()) {
                open++;
                idle.add(c);
            } else {
                reconnect();
            }
            return;
        }
        try {
            if (k.isWritable()) {
                c.flush();
            }
            if (k.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            fail(c);
        }
    }

    private void read(DriverConnection c) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            c.parser.onEof((status, close) -> answer(c, status, true));
            if (c.channel.isOpen()) {
                fail(c);
            }
            return;
        }
        readBuffer.flip();
        c.parser.feed(readBuffer, (status, close) -> answer(c, status, close));
    }

    private void answer(DriverConnection c, int status, boolean close) {
        long now = System.nanoTime();
        if (!c.isBusy()) {
            throw new IllegalStateException("an answer nobody asked for on " + c.channel);
        }
        record(c.intended, c.label, now - c.intended);
        if (now >= measureStart && now <= measureEnd) {
            answeredInWindow++;
        }
        if (status < 200 || status > 299) {
            errors++;
        }
        answered++;
        c.intended = -1;
        if (close) {
            c.close();
            open--;
            reconnect();
        } else {
            idle.add(c);
        }
    }

    /** The connection broke: its request in flight is lost; replace the connection. */
    private void fail(DriverConnection c) {
        if (c.isBusy()) {
            lost++;
            c.intended = -1;
        }
        idle.remove(c);
        c.close();
        open--;
        reconnect();
    }

    private void reconnect() {
        if (reconnectsLeft-- <= 0) {
            return; // the server keeps closing on us: carry on with the connections left
        }
        reconnects++;
        try {
            DriverConnection c = DriverConnection.start(selector, address);
            if (c != null && c.channel.isConnected()) {
                open++;
                idle.add(c);
            }
        } catch (IOException e) {
            // Out of sockets or refused: fewer connections from now on, reported as `open`.
        }
    }

    /**
     * Integrates requests due but unanswered over the measured window. The due count is integrated
     * exactly (its steps are the intended times, the same instants latency is measured from), so a
     * stall of the driver itself does not lose the requests that fell due during it; answers count
     * from when they were read, as their latency does.
     */
    private void account(long now) {
        long from = Math.max(lastAccount, measureStart);
        long to = Math.min(now, measureEnd);
        if (to > from) {
            outstandingArea += periodNanos * (dueArea(to) - dueArea(from)) - (double) lastDone * (to - from);
        }
        lastAccount = now;
        lastDone = answered + lost;
    }

    /** The integral of due(t) from t0 to {@code t}, in periods x requests. */
    private double dueArea(long t) {
        double x = Math.max(0, (t - t0) / periodNanos);
        if (x > total) {
            return total * (total + 1) / 2.0 + (x - total) * total;
        }
        double m = Math.floor(x);
        return m * (m + 1) / 2 + (x - m) * (m + 1);
    }

    private OpenModelResult result(int connected) {
        long end = System.nanoTime();
        long incomplete = 0;
        for (SelectionKey k : selector.keys()) {
            DriverConnection c = (DriverConnection) k.attachment();
            if (c.isBusy()) {
                incomplete++;
                record(c.intended, c.label, end - c.intended);
            }
        }
        for (long k = sent; k < total; k++) {
            incomplete++;
            record(intended(k), pick(k), end - intended(k));
        }
        double window = config.duration().toNanos() / 1e9;
        Map<String, LatencySummary> labels = new LinkedHashMap<>();
        for (int i = 0; i < byLabel.length; i++) {
            labels.merge(config.mix().get(i).label(), LatencySummary.of(byLabel[i]), (a, b) -> a);
        }
        return new OpenModelResult(config.rate(), answeredInWindow / window, sent, answered, errors, lost,
                incomplete, connected, reconnects, outstandingArea / config.duration().toNanos(),
                LatencySummary.of(all), labels);
    }

    private void record(long intended, int label, long latency) {
        if (intended >= measureStart && intended < measureEnd) {
            all.record(latency);
            byLabel[label].record(latency);
        }
    }
}
