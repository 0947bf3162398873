import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TCP echo load: {@code connections} connections, each a closed loop of request/response ping-pong
 * with a fixed payload, driven by one thread on one selector (pin it to its own core). Counts round
 * trips per second and their latency percentiles over {@code seconds}, after a warm-up; bounded in
 * time. Every echo is compared with what was sent.
 *
 * <pre>
 *   java bench/tcp/EchoLoad.java host port connections seconds payloadBytes [warmupSeconds]
 * </pre>
 *
 * With {@code SERVER_PID} set, it also reads the server's utime+stime from /proc/PID/stat at both
 * ends of the measured window and reports the server's CPU time per round trip ({@code CLK_TCK},
 * default 100, gives the tick length). The last line is {@code RESULT key=value ...} for scripts.
 */
public class EchoLoad {
    private static final int MAX_MICROS = 2_000_000;

    /** One connection's state. */
    private static final class Conn {
        final SocketChannel ch;
        final ByteBuffer out;
        final ByteBuffer in;
        SelectionKey key;
        long sentAt;

        Conn(SocketChannel ch, ByteBuffer payload) {
            this.ch = ch;
            this.out = payload.duplicate();
            this.in = ByteBuffer.allocateDirect(payload.capacity());
        }
    }

    private final int[] histogram = new int[MAX_MICROS + 1];
    private long roundTrips;
    private long measured;
    private long errors;
    private boolean measuring;

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: EchoLoad host port connections seconds payloadBytes [warmupSeconds]");
            System.exit(2);
        }
        new EchoLoad().run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), args.length > 5 ? Integer.parseInt(args[5]) : 3);
    }

    private void run(String host, int port, int connections, int seconds, int payloadBytes, int warmup)
            throws IOException {
        ByteBuffer payload = ByteBuffer.allocateDirect(payloadBytes);
        for (int i = 0; i < payloadBytes; i++) {
            payload.put((byte) ('a' + i % 26));
        }
        payload.flip();
        Selector selector = Selector.open();
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            Conn c = new Conn(ch, payload);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            conns.add(c);
        }
        long pid = Long.parseLong(System.getenv().getOrDefault("SERVER_PID", "0"));
        long start = System.nanoTime();
        long warmEnd = start + warmup * 1_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        long windowStart = 0;
        long windowEnd = 0;
        long cpuStart = 0;
        long rtStart = 0;
        long[] cores0 = new long[0];
        for (Conn c : conns) {
            send(c, System.nanoTime());
        }
        while (true) {
            selector.select(this::ready, 10);
            long now = System.nanoTime();
            if (!measuring && now - warmEnd >= 0) {
                measuring = true;
                cpuStart = cpuTicks(pid);
                cores0 = coreTicks();
                rtStart = roundTrips;
                windowStart = now;
            } else if (measuring && now - end >= 0) {
                windowEnd = now;
                break;
            }
        }
        long cpuEnd = cpuTicks(pid);
        long[] cores1 = coreTicks();
        long rts = roundTrips - rtStart;
        for (Conn c : conns) {
            c.ch.close();
        }
        report(host, port, connections, payloadBytes, warmup, rts, windowEnd - windowStart, pid, cpuEnd - cpuStart,
                busy(cores0, cores1, 0), busy(cores0, cores1, 1));
    }

    private void ready(SelectionKey key) {
        Conn c = (Conn) key.attachment();
        try {
            if (key.isWritable()) {
                c.ch.write(c.out);
                if (!c.out.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isReadable()) {
                if (c.ch.read(c.in) < 0) {
                    throw new IOException("server closed a connection");
                }
                if (!c.in.hasRemaining()) {
                    long now = System.nanoTime();
                    c.in.flip();
                    c.out.rewind();
                    if (!c.in.equals(c.out)) {
                        errors++;
                    }
                    roundTrips++;
                    if (measuring) {
                        measured++;
                        histogram[(int) Math.min(MAX_MICROS, (now - c.sentAt) / 1000)]++;
                    }
                    c.in.clear();
                    send(c, now);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void send(Conn c, long now) {
        try {
            c.out.rewind();
            c.sentAt = now;
            c.ch.write(c.out);
            if (c.out.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** utime + stime of {@code pid}, in clock ticks; 0 when there is no pid. */
    private static long cpuTicks(long pid) throws IOException {
        if (pid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
    }

    /**
     * Busy and total ticks of CPU 0 and CPU 1 from /proc/stat ({busy0, total0, busy1, total1}): with
     * the server's own CPU time this tells how much else ran on the server's core (a shared machine).
     */
    private static long[] coreTicks() throws IOException {
        long[] t = new long[4];
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            int core = line.startsWith("cpu0 ") ? 0 : line.startsWith("cpu1 ") ? 1 : -1;
            if (core < 0) {
                continue;
            }
            String[] f = line.trim().split("\\s+"); // cpuN user nice system idle iowait irq softirq steal
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            t[2 * core] = total - idle;
            t[2 * core + 1] = total;
        }
        return t;
    }

    private static double busy(long[] a, long[] b, int core) {
        long total = b[2 * core + 1] - a[2 * core + 1];
        return total == 0 ? 0 : (double) (b[2 * core] - a[2 * core]) / total;
    }

    private long percentile(double p) {
        long rank = (long) Math.ceil(p * measured);
        long seen = 0;
        for (int us = 0; us <= MAX_MICROS; us++) {
            seen += histogram[us];
            if (seen >= rank && seen > 0) {
                return us;
            }
        }
        return MAX_MICROS;
    }

    private void report(String host, int port, int connections, int payloadBytes, int warmup, long rts, long windowNanos,
            long pid, long cpuTicks, double core0Busy, double core1Busy) {
        double secs = windowNanos / 1e9;
        double rate = rts / secs;
        long tck = Long.parseLong(System.getenv().getOrDefault("CLK_TCK", "100"));
        double cpuSecs = (double) cpuTicks / tck;
        double cpuUsPerRt = rts == 0 ? 0 : cpuSecs * 1e6 / rts;
        System.out.printf(Locale.ROOT, "EchoLoad: %d connections x %d B against %s:%d, %.1f s measured after %d s warm-up%n",
                connections, payloadBytes, host, port, secs, warmup);
        System.out.printf(Locale.ROOT, "round trips/s %.0f; latency us p50 %d, p90 %d, p99 %d, p99.9 %d, max %d; echo errors %d%n",
                rate, percentile(0.50), percentile(0.90), percentile(0.99), percentile(0.999), percentile(1.0), errors);
        if (pid > 0) {
            System.out.printf(Locale.ROOT, "server pid %d: %.2f s CPU in %.2f s (%.0f %% of a core), %.2f us CPU per round trip%n",
                    pid, cpuSecs, secs, 100 * cpuSecs / secs, cpuUsPerRt);
        }
        System.out.printf(Locale.ROOT, "CPU 0 busy %.0f %% (anything else there: %.0f %%), CPU 1 busy %.0f %%%n",
                100 * core0Busy, 100 * Math.max(0, core0Busy - cpuSecs / secs), 100 * core1Busy);
        System.out.printf(Locale.ROOT, "RESULT rt_per_s=%.0f p50_us=%d p99_us=%d p999_us=%d max_us=%d cpu_us_per_rt=%.2f "
                + "cpu_util=%.3f cpu0_other=%.3f cpu1_busy=%.3f errors=%d%n", rate, percentile(0.50), percentile(0.99),
                percentile(0.999), percentile(1.0), cpuUsPerRt, cpuSecs / secs, Math.max(0, core0Busy - cpuSecs / secs),
                core1Busy, errors);
    }
}
