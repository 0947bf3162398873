package io.eventide.core.dns.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /etc/hosts} (hosts(5)): an address, a canonical name, aliases; {@code #} starts a comment.
 * Names match case-insensitively; a name listed on several lines gets every address, in file order.
 * Address literals are parsed by hand, never through a lookup.
 *
 * <p><b>Threading:</b> immutable once built; any thread.
 */
public final class Hosts {
    private static final Hosts EMPTY = new Hosts(Map.of());
    private final Map<String, List<InetAddress>> byName;

    private Hosts(Map<String, List<InetAddress>> byName) {
        this.byName = byName;
    }

    /** @return a table with no entries */
    public static Hosts empty() {
        return EMPTY;
    }

    /**
     * @param text the file's content
     * @return its table
     */
    public static Hosts parse(String text) {
        Map<String, List<InetAddress>> m = new HashMap<>();
        for (String raw : text.split("\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            InetAddress a = parseAddress(f[0]);
            if (a == null || f.length < 2) {
                continue;
            }
            for (int i = 1; i < f.length; i++) {
                List<InetAddress> l = m.computeIfAbsent(DnsCodec.canonical(f[i]), k -> new ArrayList<>());
                if (!l.contains(a)) {
                    l.add(a);
                }
            }
        }
        Map<String, List<InetAddress>> frozen = new HashMap<>();
        m.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new Hosts(Map.copyOf(frozen));
    }

    /**
     * @param name a host name
     * @param v4 whether IPv4 addresses are wanted
     * @param v6 whether IPv6 addresses are wanted
     * @return its addresses of those families (empty if not listed)
     */
    public List<InetAddress> lookup(String name, boolean v4, boolean v6) {
        List<InetAddress> all = byName.get(DnsCodec.canonical(name));
        if (all == null) {
            return List.of();
        }
        List<InetAddress> out = new ArrayList<>(all.size());
        for (InetAddress a : all) {
            if ((a instanceof Inet4Address && v4) || (a instanceof Inet6Address && v6)) {
                out.add(a);
            }
        }
        return out;
    }

    /** @param name a host name @return whether the table lists it at all */
    public boolean contains(String name) {
        return byName.containsKey(DnsCodec.canonical(name));
    }

    /** @return number of names listed */
    public int size() {
        return byName.size();
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 literal (optionally in brackets, with a {@code %scope})
     * without any name lookup.
     *
     * @param s the text
     * @return the address, or null if {@code s} is not an address literal
     */
    public static InetAddress parseAddress(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (t.isEmpty()) {
            return null;
        }
        if (t.indexOf(':') >= 0) {
            // InetAddress.getByName on a string containing ':' parses the literal and never looks it up.
            try {
                int pct = t.indexOf('%');
                String lit = pct >= 0 ? t.substring(0, pct) : t;
                if (!lit.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return null;
                }
                return InetAddress.getByName(t);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null; // cannot happen with four bytes
        }
    }
}
