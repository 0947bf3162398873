package io.eventide.core.dns.internal;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.core.dns.DnsException;
import io.eventide.core.dns.DnsException.Code;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves one name for one type through the search list (resolv.conf(5), glibc's
 * {@code res_nsearch}):
 * <ol>
 *   <li>A name ending in a dot is absolute: it alone is asked.</li>
 *   <li>A name with at least {@code ndots} dots is asked as is first, then with each search
 *       suffix; one with fewer is asked with each suffix first, then as is.</li>
 *   <li>Candidates are asked one after the other; the first with addresses wins. NXDOMAIN,
 *       NODATA and SERVFAIL move on to the next candidate; a timeout ends the search (the servers
 *       are not answering, asking more names would only multiply the wait).</li>
 *   <li>Without a winner the error is, as in glibc: TIMEOUT if the search ended that way, else
 *       NODATA if some candidate exists without this type, else SERVFAIL if a server failed, else
 *       NXDOMAIN.</li>
 * </ol>
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class SearchRun {
    /**
     * The result.
     *
     * @param addresses addresses found, or null
     * @param error the failure, or null
     * @param ttlSeconds how long the answer (positive or negative) may be cached; -1: not at all
     */
    public record Result(List<InetAddress> addresses, DnsException error, long ttlSeconds) {
    }

    private final EventLoop loop;
    private final String host;
    private final int type;
    private final ResolverConfig cfg;
    private final int firstServer;
    private final Lookup.Counters counters;
    private final List<String> candidates;
    private final Promise<Result> result;
    private final StringBuilder tried = new StringBuilder();
    private final long negativeTtlDefault;
    private int next;
    private boolean nodata;
    private boolean servfail;
    private long negativeTtl = Long.MAX_VALUE;

    private SearchRun(EventLoop loop, String host, int type, ResolverConfig cfg, int firstServer,
            Lookup.Counters counters, long negativeTtlDefault) {
        this.loop = loop;
        this.host = host;
        this.type = type;
        this.cfg = cfg;
        this.firstServer = firstServer;
        this.counters = counters;
        this.negativeTtlDefault = negativeTtlDefault;
        this.candidates = candidates(host, cfg.ndots(), cfg.search());
        this.result = loop.promise();
    }

    /**
     * @param loop the calling loop
     * @param host the name as given (canonical: lower case, no final dot unless absolute)
     * @param type A or AAAA
     * @param cfg settings
     * @param firstServer rotation start
     * @param counters query counters
     * @param negativeTtlDefault seconds a negative answer without SOA is cached
     * @return the result; never rejected
     */
    public static Promise<Result> run(EventLoop loop, String host, int type, ResolverConfig cfg, int firstServer,
            Lookup.Counters counters, long negativeTtlDefault) {
        SearchRun s = new SearchRun(loop, host, type, cfg, firstServer, counters, negativeTtlDefault);
        s.step();
        return s.result;
    }

    /** @return the names to ask, in order */
    public static List<String> candidates(String host, int ndots, List<String> search) {
        if (host.endsWith(".")) {
            return List.of(host.substring(0, host.length() - 1));
        }
        long dots = host.chars().filter(c -> c == '.').count();
        List<String> out = new ArrayList<>(search.size() + 1);
        if (dots >= ndots) {
            out.add(host);
        }
        for (String s : search) {
            out.add(host + "." + s);
        }
        if (dots < ndots) {
            out.add(host);
        }
        return out;
    }

    private void step() {
        if (next == candidates.size()) {
            finish(null);
            return;
        }
        String name = candidates.get(next++);
        Lookup.run(loop, name, type, cfg, firstServer, counters).whenComplete((o, err) -> {
            if (err != null) {
                DnsException e = err instanceof DnsException de ? de
                        : new DnsException(Code.BAD_RESPONSE, host, String.valueOf(err), err);
                result.resolve(new Result(null, e, -1));
                return;
            }
            record(name, o);
        });
    }

    private void record(String name, Lookup.Outcome o) {
        if (tried.length() > 0) {
            tried.append(", ");
        }
        DnsCodec.Answer a = o.answer();
        if (a == null) {
            tried.append(name).append(": ").append(o.failure()).append(" (").append(o.detail()).append(')');
            if (o.failure() == Code.TIMEOUT) {
                finish(Code.TIMEOUT);
                return;
            }
            servfail = true;
            step();
            return;
        }
        if (!a.addresses().isEmpty()) {
            result.resolve(new Result(a.addresses(), null, a.ttlSeconds()));
            return;
        }
        boolean nx = a.rcode() == 3;
        tried.append(name).append(": ").append(nx ? "NXDOMAIN" : "no records of this type");
        nodata |= !nx;
        negativeTtl = Math.min(negativeTtl, a.hasSoa() ? a.ttlSeconds() : negativeTtlDefault);
        step();
    }

    private void finish(Code stoppedBy) {
        Code c = stoppedBy != null ? stoppedBy : nodata ? Code.NODATA : servfail ? Code.SERVFAIL : Code.NXDOMAIN;
        String what = switch (c) {
            case NXDOMAIN -> "host not found: ";
            case NODATA -> "no " + (type == DnsCodec.TYPE_A ? "IPv4" : "IPv6") + " address for ";
            case TIMEOUT -> "no DNS server answered for ";
            default -> "DNS servers failed for ";
        };
        DnsException e = new DnsException(c, host, what + host + " (" + c + "; tried " + tried + ")", null);
        boolean cacheable = c == Code.NXDOMAIN || c == Code.NODATA;
        result.resolve(new Result(null, e, cacheable ? (negativeTtl == Long.MAX_VALUE ? negativeTtlDefault
                : negativeTtl) : -1));
    }
}
