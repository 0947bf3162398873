package io.eventide.core.dns.internal;

import io.eventide.core.dns.ResolverOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings a resolver works with right now: {@link ResolverOptions} over the system's files.
 * {@link #load} reads the files (blocking: call it on a DNS pool thread); a file that is missing or
 * unreadable counts as absent (glibc's defaults, no hosts), so a broken file never stops lookups.
 * {@link #changed} tells whether a reload would give something new.
 *
 * @param nameservers servers, in order
 * @param search search list
 * @param ndots dots before a name is tried as is first
 * @param timeout per try
 * @param attempts rounds over the servers
 * @param rotate whether lookups start at successive servers
 * @param tcpFallback whether truncated answers are asked again over TCP
 * @param hosts the hosts table
 * @param stamps modification time and size of each file read, for {@link #changed}
 *
 * <p><b>Threading:</b> immutable value; any thread.
 */
public record ResolverConfig(List<InetSocketAddress> nameservers, List<String> search, int ndots, Duration timeout,
        int attempts, boolean rotate, boolean tcpFallback, Hosts hosts, List<String> stamps) {

    /**
     * @param o the options
     * @return the settings, with the files read now
     */
    public static ResolverConfig load(ResolverOptions o) {
        List<String> stamps = new ArrayList<>();
        String rc = read(o.resolvConf(), stamps);
        ResolvConf conf = rc == null ? ResolvConf.defaults() : ResolvConf.parse(rc);
        String hostsText = read(o.hostsFile(), stamps);
        Hosts hosts = hostsText == null ? Hosts.empty() : Hosts.parse(hostsText);
        return new ResolverConfig(
                o.nameservers() != null ? o.nameservers() : conf.nameservers(),
                o.search() != null ? o.search() : conf.search(),
                o.ndots() != null ? o.ndots() : conf.ndots(),
                o.timeout() != null ? o.timeout() : Duration.ofSeconds(conf.timeoutSeconds()),
                o.attempts() != null ? o.attempts() : conf.attempts(),
                conf.rotate(), o.tcpFallback(), hosts, List.copyOf(stamps));
    }

    /**
     * @param o the options this was loaded with
     * @return whether a file changed since (or appeared, or went away)
     */
    public boolean changed(ResolverOptions o) {
        List<String> now = new ArrayList<>();
        stamp(o.resolvConf(), now);
        stamp(o.hostsFile(), now);
        return !now.equals(stamps);
    }

    private static String read(Path p, List<String> stamps) {
        if (p == null) {
            return null;
        }
        stamp(p, stamps);
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null; // missing or unreadable: as if absent
        }
    }

    private static void stamp(Path p, List<String> out) {
        if (p == null) {
            return;
        }
        try {
            out.add(p + "@" + Files.getLastModifiedTime(p).toMillis() + "/" + Files.size(p));
        } catch (IOException e) {
            out.add(p + "@absent");
        }
    }
}
