package io.eventide.core.dns.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /etc/resolv.conf} as resolv.conf(5) reads it: up to three {@code nameserver} lines,
 * {@code search} (or {@code domain}; the last of the two wins), and the {@code options} that matter
 * to a stub resolver: {@code ndots:n} (capped at 15), {@code timeout:n} seconds (capped at 30),
 * {@code attempts:n} (capped at 5), {@code rotate}. Without a nameserver line, 127.0.0.1 is used,
 * as glibc does. Unknown lines and options are ignored, as glibc ignores them.
 *
 * @param nameservers where to send queries, port 53
 * @param search suffixes tried for names with fewer than {@code ndots} dots
 * @param ndots dots a name needs to be tried as is first
 * @param timeoutSeconds wait per query attempt
 * @param attempts rounds over all servers
 * @param rotate whether to start each lookup at the next server
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record ResolvConf(List<InetSocketAddress> nameservers, List<String> search, int ndots, int timeoutSeconds,
        int attempts, boolean rotate) {

    /** glibc's MAXNS. */
    public static final int MAX_NAMESERVERS = 3;

    /** @return what glibc uses when the file is missing */
    public static ResolvConf defaults() {
        return new ResolvConf(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53)), List.of(), 1, 5, 2,
                false);
    }

    /**
     * @param text the file's content
     * @return the settings it gives
     */
    public static ResolvConf parse(String text) {
        List<InetSocketAddress> servers = new ArrayList<>();
        List<String> search = List.of();
        int ndots = 1;
        int timeout = 5;
        int attempts = 2;
        boolean rotate = false;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "nameserver" -> {
                    if (f.length > 1 && servers.size() < MAX_NAMESERVERS) {
                        InetAddress a = Hosts.parseAddress(f[1]);
                        if (a != null) {
                            servers.add(new InetSocketAddress(a, 53));
                        }
                    }
                }
                case "search", "domain" -> {
                    List<String> s = new ArrayList<>();
                    for (int i = 1; i < f.length && !f[i].startsWith("#"); i++) {
                        s.add(DnsCodec.canonical(f[i]));
                    }
                    search = List.copyOf(s);
                }
                case "options" -> {
                    for (int i = 1; i < f.length; i++) {
                        String o = f[i].toLowerCase(Locale.ROOT);
                        if (o.startsWith("ndots:")) {
                            ndots = clamp(o.substring(6), 0, 15, ndots);
                        } else if (o.startsWith("timeout:")) {
                            timeout = clamp(o.substring(8), 1, 30, timeout);
                        } else if (o.startsWith("attempts:")) {
                            attempts = clamp(o.substring(9), 1, 5, attempts);
                        } else if (o.equals("rotate")) {
                            rotate = true;
                        }
                    }
                }
                default -> {
                    // sortlist, lookup and the rest: not a stub resolver's business here.
                }
            }
        }
        if (servers.isEmpty()) {
            servers = defaults().nameservers();
        }
        return new ResolvConf(List.copyOf(servers), search, ndots, timeout, attempts, rotate);
    }

    private static int clamp(String v, int min, int max, int fallback) {
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
