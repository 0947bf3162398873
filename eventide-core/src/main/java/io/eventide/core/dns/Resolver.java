package io.eventide.core.dns;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import io.eventide.core.dns.internal.Defaults;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a host name into addresses without blocking the loop: the seam every client connects
 * through ({@code TcpClient}, the HTTP and WebSocket clients, and later PostgreSQL and brokers).
 *
 * <pre>{@code
 * Resolver.of(loop.group()).resolve(loop, "db.internal")
 *         .onSuccess(addrs -> connect(addrs.get(0)));
 * }</pre>
 *
 * <p>Each {@link LoopGroup} has a default resolver ({@link #of(LoopGroup)}): a {@link DnsResolver}
 * with the system's settings, unless the property {@code eventide.core.dns} is {@code jdk} (then a
 * {@link JdkResolver}) or another one was installed with {@link #setDefault}. Failures reject the
 * promise with {@link DnsException}; {@link DnsException.Code#NXDOMAIN} means the name does not
 * exist.
 *
 * <p>A lambda is a resolver: {@code (loop, host) -> Promise.resolved(loop, List.of(addr))} (tests,
 * service discovery).
 *
 * <p><b>Threading:</b> any thread may call; the promise settles on {@code loop}. Implementations
 * must never block the calling thread.
 */
@FunctionalInterface
public interface Resolver {

    /**
     * @param loop where the promise settles
     * @param host a host name or an address literal
     * @return its addresses, IPv4 and IPv6, never empty on success
     */
    Promise<List<InetAddress>> resolve(EventLoop loop, String host);

    /**
     * One address family only, for Happy Eyeballs (RFC 8305 §3), which starts connecting as soon as
     * the first family's answer is in. The default filters {@link #resolve(EventLoop, String)}.
     *
     * @param loop where the promise settles
     * @param host a host name or an address literal
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
     * @return its addresses of that family; {@link DnsException.Code#NODATA} if there are none
     */
    default Promise<List<InetAddress>> resolve(EventLoop loop, String host, StandardProtocolFamily family) {
        Objects.requireNonNull(family, "family");
        return resolve(loop, host).map(all -> {
            List<InetAddress> out = new ArrayList<>();
            for (InetAddress a : all) {
                if (family == StandardProtocolFamily.INET ? a instanceof Inet4Address : a instanceof Inet6Address) {
                    out.add(a);
                }
            }
            if (out.isEmpty()) {
                throw new DnsException(DnsException.Code.NODATA, host, host + " has no "
                        + (family == StandardProtocolFamily.INET ? "IPv4" : "IPv6") + " address", null);
            }
            return out;
        });
    }

    /**
     * @param group a loop group
     * @return its default resolver, created on first use
     */
    static Resolver of(LoopGroup group) {
        return Defaults.of(group);
    }

    /**
     * Installs the resolver {@link #of(LoopGroup)} returns for {@code group} from now on, e.g. one
     * with other nameservers, or a test's. Connections already resolving keep the old one.
     *
     * @param group a loop group
     * @param resolver its new default
     */
    static void setDefault(LoopGroup group, Resolver resolver) {
        Defaults.set(group, resolver);
    }
}
