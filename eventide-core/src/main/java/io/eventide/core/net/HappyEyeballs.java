package io.eventide.core.net;

import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import io.eventide.core.dns.DnsException;
import io.eventide.core.dns.Resolver;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Connects to a host name with Happy Eyeballs v2 (RFC 8305), so a broken IPv6 path costs a
 * quarter of a second, not a connect timeout:
 * <ol>
 *   <li>AAAA and A are asked at once (§3). Attempts start as soon as the AAAA answer is in; if the
 *       A answer comes first, they start after {@value #RESOLUTION_DELAY_MS} ms unless AAAA arrives
 *       meanwhile. An answer that arrives later joins the addresses not yet tried.</li>
 *   <li>Addresses are tried alternating the families, IPv6 first (§4, First Address Family
 *       Count 1).</li>
 *   <li>A new attempt starts when the previous one fails, or {@value #ATTEMPT_DELAY_MS} ms after it
 *       started if it has not finished (§5, Connection Attempt Delay); earlier attempts keep
 *       running. The first to connect wins; every other is closed at once.</li>
 *   <li>When every address failed, and both answers are in, the connect fails with each
 *       address's reason; if no address resolved at all, with the resolver's failure.</li>
 * </ol>
 * Each attempt keeps its own connect timeout ({@link TcpOptions#connectTimeout()}).
 *
 * <p><b>Threading:</b> loop-confined: runs on the loop that will own the connection.
 */
final class HappyEyeballs {
    /** RFC 8305 §8: the recommended Resolution Delay. */
    static final long RESOLUTION_DELAY_MS = 50;
    /** RFC 8305 §8: the recommended Connection Attempt Delay. */
    static final long ATTEMPT_DELAY_MS = 250;

    private final EventLoop loop;
    private final String host;
    private final int port;
    private final TcpOptions options;
    private final Promise<Connection> result;
    private final ArrayDeque<InetAddress> v6 = new ArrayDeque<>();
    private final ArrayDeque<InetAddress> v4 = new ArrayDeque<>();
    private final List<TcpClient.Connector> running = new ArrayList<>();
    private final StringBuilder failures = new StringBuilder();
    private Throwable v6Error;
    private Throwable v4Error;
    private boolean v6Done;
    private boolean v4Done;
    private boolean started;
    private boolean nextIsV6 = true;
    private Timer waitTimer;

    private HappyEyeballs(EventLoop loop, String host, int port, TcpOptions options, Promise<Connection> result) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.options = options;
        this.result = result;
    }

    static void connect(EventLoop loop, String host, int port, TcpOptions options, Resolver resolver,
            Promise<Connection> result) {
        HappyEyeballs he = new HappyEyeballs(loop, host, port, options, result);
        // Both reactions attached in this callback: neither family's failure goes unhandled.
        resolver.resolve(loop, host, StandardProtocolFamily.INET6).whenComplete((a, e) -> he.answered(true, a, e));
        resolver.resolve(loop, host, StandardProtocolFamily.INET).whenComplete((a, e) -> he.answered(false, a, e));
    }

    /** §4 for a fixed list: alternate families, IPv6 first. */
    static List<InetAddress> order(List<InetAddress> addrs) {
        ArrayDeque<InetAddress> six = new ArrayDeque<>();
        ArrayDeque<InetAddress> four = new ArrayDeque<>();
        for (InetAddress a : addrs) {
            (a instanceof Inet6Address ? six : four).add(a);
        }
        List<InetAddress> out = new ArrayList<>(addrs.size());
        boolean sixTurn = true;
        while (!six.isEmpty() || !four.isEmpty()) {
            ArrayDeque<InetAddress> q = (sixTurn && !six.isEmpty()) || four.isEmpty() ? six : four;
            out.add(q.poll());
            sixTurn = q == four;
        }
        return out;
    }

    private void answered(boolean six, List<InetAddress> addrs, Throwable err) {
        if (six) {
            v6Done = true;
            v6Error = err;
            if (addrs != null) {
                v6.addAll(addrs);
            }
        } else {
            v4Done = true;
            v4Error = err;
            if (addrs != null) {
                v4.addAll(addrs);
            }
        }
        if (result.isDone()) {
            return;
        }
        if (!started) {
            if (six || v6Done) {
                begin();
            } else if (addrs != null && waitTimer == null) {
                // A came first: give AAAA the Resolution Delay before starting on IPv4 (§3).
                waitTimer = loop.setTimeout(RESOLUTION_DELAY_MS, this::begin);
            }
            return;
        }
        if (running.isEmpty()) {
            attempt(); // everything tried so far failed; the late answer brought new addresses, or the end
        }
    }

    private void begin() {
        if (started || result.isDone()) {
            return;
        }
        if (waitTimer != null) {
            waitTimer.cancel();
        }
        started = true;
        attempt();
    }

    private InetAddress nextAddress() {
        ArrayDeque<InetAddress> q = (nextIsV6 && !v6.isEmpty()) || v4.isEmpty() ? v6 : v4;
        InetAddress a = q.poll();
        if (a != null) {
            nextIsV6 = q == v4;
        }
        return a;
    }

    private void attempt() {
        if (result.isDone()) {
            return;
        }
        if (waitTimer != null) {
            waitTimer.cancel();
            waitTimer = null;
        }
        InetAddress a = nextAddress();
        if (a == null) {
            if (running.isEmpty() && v6Done && v4Done) {
                giveUp();
            }
            return; // wait for the attempts running, or for the other family's answer
        }
        InetSocketAddress target = new InetSocketAddress(a, port);
        Promise<Connection> one = loop.promise();
        TcpClient.Connector c = TcpClient.start(loop, target, options, one);
        if (c != null) {
            running.add(c);
        }
        one.whenComplete((conn, err) -> finished(c, target, conn, err));
        if (!result.isDone() && !one.isDone()) {
            waitTimer = loop.setTimeout(Duration.ofMillis(ATTEMPT_DELAY_MS), this::attempt);
        }
    }

    private void finished(TcpClient.Connector c, InetSocketAddress target, Connection conn, Throwable err) {
        running.remove(c);
        if (err == null) {
            if (!result.resolve(conn)) {
                conn.destroy(); // lost the race by a hair: someone else already won
                return;
            }
            if (waitTimer != null) {
                waitTimer.cancel();
            }
            for (TcpClient.Connector other : List.copyOf(running)) {
                other.abort("another address of " + host + " connected first");
            }
            running.clear();
            return;
        }
        if (result.isDone()) {
            return; // an attempt we aborted
        }
        if (failures.length() > 0) {
            failures.append("; ");
        }
        failures.append(target).append(": ").append(err.getMessage());
        attempt(); // §5: a failure starts the next attempt at once
    }

    private void giveUp() {
        if (failures.length() == 0) {
            // Nothing resolved: report the resolver's own failure, the more telling one first.
            Throwable e = v6Error instanceof DnsException d && d.code() == DnsException.Code.NODATA && v4Error != null
                    ? v4Error : v6Error != null ? v6Error : v4Error;
            result.reject(e != null ? e : new EventideException("no address for " + host));
            return;
        }
        result.reject(new EventideException("connect to " + host + ":" + port + " failed on every address: "
                + failures));
    }
}
