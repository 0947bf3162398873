package io.eventide.http.internal.client;

import java.util.Locale;
import java.util.Objects;

/**
 * Where requests go: a scheme (plain or TLS), a host and a port. One connection pool per origin
 * and loop.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param host a host name or IP literal, without brackets (IPv6)
 * @param port the TCP port
 * @param secure whether to speak TLS ({@code https})
 */
public record Origin(String host, int port, boolean secure) {
    /** Validates and normalises (host names compare case-insensitively). */
    public Origin {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /**
     * @param host a host name or IP literal
     * @param port the TCP port
     */
    public Origin(String host, int port) {
        this(host, port, false);
    }

    /** {@return the {@code Host} header value (RFC 9110 §7.2): the port only when not the scheme's default} */
    public String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == (secure ? 443 : 80) ? h : h + ":" + port;
    }

    @Override
    public String toString() {
        return (secure ? "https://" : "") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
