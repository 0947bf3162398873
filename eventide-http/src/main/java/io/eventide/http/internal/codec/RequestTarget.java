package io.eventide.http.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * The four request-target forms of RFC 9112 §3.2, told apart and split into path and query. The
 * scanner has already checked every byte; this checks the form fits the method.
 *
 * <pre>
 *  origin-form     /where?q=1             any method but CONNECT   path /where, query q=1
 *  absolute-form   http://host/where?q=1  any method but CONNECT   path /where, query q=1
 *  authority-form  host:443               CONNECT only             path host:443
 *  asterisk-form   *                      OPTIONS only             path *
 * </pre>
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param raw the target as received
 * @param path the path, still percent-encoded
 * @param query the raw query, or {@code null}
 */
record RequestTarget(String raw, String path, String query) {
    private static final String ROOT = "/";

    /** {@return the parsed target, or {@code null} if its form does not fit the method} */
    static RequestTarget parse(byte[] b, int base, HeadLayout layout, String method) {
        int start = base + layout.targetStart();
        int end = base + layout.targetEnd();
        int query = layout.queryIndex() < 0 ? -1 : base + layout.queryIndex();
        // The most common target of all, "/", is not worth a new String.
        String raw = end - start == 1 && b[start] == '/'
                ? ROOT : new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        if ("CONNECT".equals(method)) {
            return authorityForm(b, start, end, raw);
        }
        if (b[start] == '/') {
            return split(raw, 0, query < 0 ? -1 : query - start);
        }
        if (end - start == 1 && b[start] == '*') {
            return "OPTIONS".equals(method) ? new RequestTarget(raw, raw, null) : null;
        }
        return absoluteForm(b, start, end, query, raw);
    }

    private static RequestTarget authorityForm(byte[] b, int start, int end, String raw) {
        // RFC 9112 §3.2.3: authority = host ":" port; no path, query or userinfo.
        for (int i = start; i < end; i++) {
            if (b[i] == '/' || b[i] == '?' || b[i] == '@' || b[i] == '*') {
                return null;
            }
        }
        return new RequestTarget(raw, raw, null);
    }

    private static RequestTarget absoluteForm(byte[] b, int start, int end, int query, String raw) {
        // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://" for
        // the hierarchical schemes HTTP uses (RFC 9110 §4.2).
        int i = start;
        if (!isAlpha(b[i])) {
            return null;
        }
        while (i < end && (isAlpha(b[i]) || HttpChars.isDigit(b[i])
                || b[i] == '+' || b[i] == '-' || b[i] == '.')) {
            i++;
        }
        if (end - i < 3 || b[i] != ':' || b[i + 1] != '/' || b[i + 2] != '/') {
            return null;
        }
        int authorityEnd = query < 0 ? end : query;
        for (i += 3; i < authorityEnd; i++) {
            if (b[i] == '/') {
                return split(raw, i - start, query < 0 ? -1 : query - start);
            }
        }
        return new RequestTarget(raw, ROOT, query < 0 ? null : raw.substring(query - start + 1));
    }

    private static RequestTarget split(String raw, int pathStart, int query) {
        if (query < 0) {
            return new RequestTarget(raw, pathStart == 0 ? raw : raw.substring(pathStart), null);
        }
        return new RequestTarget(raw, raw.substring(pathStart, query), raw.substring(query + 1));
    }

    private static boolean isAlpha(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
