package io.eventide.http.internal.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An absolute {@code http://} or {@code https://} URL split into what a request needs: the origin to connect to and
 * the origin-form target to send (RFC 9112 §3.2.1).
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param origin host and port
 * @param target path and query, percent-encoded as given
 */
public record RequestUrl(Origin origin, String target) {

    /**
     * @param url an absolute URL such as {@code http://host:8080/path?q=1}
     * @return its parts
     * @throws IllegalArgumentException if it is malformed, not {@code http(s)}, or carries user info
     */
    public static RequestUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https");
        if (!secure && !scheme.equals("http")) {
            throw new IllegalArgumentException("only http:// and https:// URLs are supported, got scheme '"
                    + scheme + "'");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URL has no host: " + url);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("user info in URLs is not supported; set Authorization instead");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? (secure ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new RequestUrl(new Origin(host, port, secure), target);
    }
}
