package io.eventide.core.dns.internal;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.dns.DnsException;
import io.eventide.core.dns.DnsException.Code;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * One question (a name and a type) asked of the configured servers the way glibc's stub resolver
 * does (resolv.conf(5)): {@code attempts} rounds, each round every server in turn, each try waiting
 * {@code timeout}. A server that answers SERVFAIL, REFUSED or a malformed message, or that does not
 * answer, gives way to the next; NOERROR and NXDOMAIN are final. A truncated UDP answer is asked
 * again of the same server over TCP (RFC 7766 §5).
 *
 * <p>The outcome is an {@link Outcome}, not an exception: the search list decides what a NXDOMAIN
 * for one candidate name means.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class Lookup {
    private static final SecureRandom IDS = new SecureRandom();

    /**
     * What the servers said about one question.
     *
     * @param answer the final answer (NOERROR or NXDOMAIN), or null when no server gave one
     * @param failure why no server gave one: {@link Code#TIMEOUT}, {@link Code#SERVFAIL},
     *     {@link Code#REFUSED} or {@link Code#BAD_RESPONSE}; null when {@code answer} is set
     * @param detail what was tried, for the error message
     * @param usedTcp whether the answer came over TCP
     */
    public record Outcome(DnsCodec.Answer answer, Code failure, String detail, boolean usedTcp) {
    }

    private final EventLoop loop;
    private final String name;
    private final int type;
    private final List<InetSocketAddress> servers;
    private final int firstServer;
    private final int attempts;
    private final Duration timeout;
    private final boolean tcpFallback;
    private final Promise<Outcome> result;
    private final StringBuilder tried = new StringBuilder();
    private final Counters counters;
    private Code worst;
    private int step;

    /** Query counters a resolver exposes; incremented on the loop, read anywhere. */
    public interface Counters {
        /** A datagram was sent. */
        void udpSent();

        /** A truncated answer was asked again over TCP. */
        void tcpSent();
    }

    private Lookup(EventLoop loop, String name, int type, ResolverConfig cfg, int firstServer, Counters counters) {
        this.loop = loop;
        this.name = name;
        this.type = type;
        this.servers = cfg.nameservers();
        this.firstServer = firstServer;
        this.attempts = cfg.attempts();
        this.timeout = cfg.timeout();
        this.tcpFallback = cfg.tcpFallback();
        this.counters = counters;
        this.result = loop.promise();
    }

    /**
     * @param loop the calling loop
     * @param name fully qualified name
     * @param type {@link DnsCodec#TYPE_A} or {@link DnsCodec#TYPE_AAAA}
     * @param cfg servers, attempts, timeout
     * @param firstServer index of the server to start with (rotation)
     * @param counters where to count queries
     * @return the outcome; never rejected except for a bad name ({@link Code#BAD_NAME})
     */
    public static Promise<Outcome> run(EventLoop loop, String name, int type, ResolverConfig cfg, int firstServer,
            Counters counters) {
        Lookup l = new Lookup(loop, name, type, cfg, firstServer, counters);
        l.next();
        return l.result;
    }

    private void next() {
        if (step >= attempts * servers.size()) {
            result.resolve(new Outcome(null, worst == null ? Code.TIMEOUT : worst, tried.toString(), false));
            return;
        }
        InetSocketAddress server = servers.get((firstServer + step) % servers.size());
        step++;
        int id = IDS.nextInt(1 << 16);
        byte[] query;
        try {
            query = DnsCodec.encodeQuery(id, name, type);
        } catch (IllegalArgumentException e) {
            result.reject(new DnsException(Code.BAD_NAME, name, e.getMessage(), e));
            return;
        }
        counters.udpSent();
        UdpQuery.send(loop, server, query, id, timeout).whenComplete((msg, err) -> {
            if (err != null) {
                note(server, err instanceof DeadlineExceededException ? Code.TIMEOUT : Code.REFUSED, err.getMessage());
                next();
            } else {
                answered(server, msg, query, false);
            }
        });
    }

    private void answered(InetSocketAddress server, byte[] msg, byte[] query, boolean overTcp) {
        DnsCodec.Answer a;
        try {
            a = DnsCodec.decode(msg, name, type);
        } catch (DnsCodec.Malformed e) {
            note(server, Code.BAD_RESPONSE, "malformed answer: " + e.getMessage());
            next();
            return;
        }
        if (a.truncated() && !overTcp && tcpFallback) {
            counters.tcpSent();
            TcpQuery.send(loop, server, query, timeout).whenComplete((full, err) -> {
                if (err != null) {
                    note(server, Code.TIMEOUT, "truncated over UDP, then over TCP: " + err.getMessage());
                    next();
                } else {
                    answered(server, full, query, true);
                }
            });
            return;
        }
        switch (a.rcode()) {
            case 0, 3 -> result.resolve(new Outcome(a, null, tried.toString(), overTcp));
            case 2 -> {
                note(server, Code.SERVFAIL, "SERVFAIL");
                next();
            }
            case 5 -> {
                note(server, Code.REFUSED, "REFUSED");
                next();
            }
            default -> {
                note(server, Code.BAD_RESPONSE, "RCODE " + a.rcode());
                next();
            }
        }
    }

    /** Keeps the most telling failure: a server's own answer beats a silence. */
    private void note(InetSocketAddress server, Code c, String why) {
        if (worst == null || worst == Code.TIMEOUT) {
            worst = c;
        }
        if (tried.length() > 0) {
            tried.append("; ");
        }
        tried.append(server).append(": ").append(why);
    }
}
