package io.eventide.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Maps a method and a path to a {@link Handler}. Patterns are split on {@code /}; a segment is a
 * literal ({@code users}), a parameter ({@code :id}, available as {@link HttpRequest#param}), or a
 * final wildcard ({@code *}, the rest of the path, available as {@code param("*")}). Literals win
 * over parameters, which win over wildcards; matching backtracks, so {@code /a/:x/c} and
 * {@code /a/b/d} coexist.
 *
 * <p>A path that matches no pattern is a 404; one that matches a pattern but not for this method is
 * a 405 with an {@code Allow} header. {@code HEAD} is served by the {@code GET} handler when no
 * {@code HEAD} handler exists (the server drops the body).
 *
 * <p>Routers compose the way Express's do: build one per area of an application and
 * {@link #mount} it under a prefix, on another router or on the server
 * ({@link HttpServer#mount(String, Router)}).
 *
 * {@snippet :
 * Router api = new Router().route("GET", "/users/:id", users::get).route("POST", "/users", users::create);
 * app.mount("/api/v1", api);   // GET /api/v1/users/42
 * }
 *
 * <p><b>Threading:</b> build it before the server starts; it is then read by every loop and must
 * not be changed.
 */
public final class Router {
    private final Node root = new Node();
    /** Patterns without parameters or wildcards, by exact path: one hash lookup, no splitting. */
    private final HashMap<String, Node> exact = new HashMap<>();
    /** Every route as registered, in order: what {@link #mount} copies. */
    private final List<String[]> declared = new ArrayList<>();
    private final List<Handler> handlers = new ArrayList<>();

    /** Creates an empty router. */
    public Router() {
    }

    /**
     * @param method HTTP method, e.g. {@code "GET"}
     * @param pattern path pattern starting with {@code /}
     * @param handler the handler
     * @return this router
     */
    public Router route(String method, String pattern, Handler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with '/': " + pattern);
        }
        Node n = root;
        String[] segs = split(pattern);
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            if (s.equals("*")) {
                if (i != segs.length - 1) {
                    throw new IllegalArgumentException("'*' must be the last segment: " + pattern);
                }
                n = n.wildcard == null ? (n.wildcard = new Node()) : n.wildcard;
            } else if (s.startsWith(":")) {
                if (n.param == null) {
                    n.param = new Node();
                    n.paramName = s.substring(1);
                } else if (!n.paramName.equals(s.substring(1))) {
                    throw new IllegalArgumentException("conflicting parameter names :" + n.paramName + " and " + s
                            + " in " + pattern);
                }
                n = n.param;
            } else {
                n = n.literals.computeIfAbsent(s, k -> new Node());
            }
        }
        if (n.handlers.putIfAbsent(method, handler) != null) {
            throw new IllegalArgumentException("duplicate route " + method + " " + pattern);
        }
        declared.add(new String[] {method, pattern});
        handlers.add(handler);
        if (n.pattern == null) {
            n.pattern = pattern;
        }
        n.matches.put(method, new Match(handler, Map.of(), null, n.pattern));
        if (!pattern.contains(":") && !pattern.contains("*")) {
            exact.put(pattern, n);
            if (pattern.length() > 1 && pattern.endsWith("/")) {
                exact.put(pattern.substring(0, pattern.length() - 1), n);
            } else if (pattern.length() > 1) {
                exact.put(pattern + "/", n);
            }
        }
        return this;
    }

    /**
     * Adds every route of {@code child} under {@code prefix} (Express's {@code router.use(prefix,
     * child)}): {@code /users/:id} of the child answers {@code prefix + "/users/:id"} here. The
     * routes are copied now: routes added to {@code child} later are not seen.
     *
     * @param prefix a path starting with {@code /}, without a trailing one ({@code /} for none)
     * @param child the router to mount
     * @return this router
     */
    public Router mount(String prefix, Router child) {
        Objects.requireNonNull(child, "child");
        if (!prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
            throw new IllegalArgumentException("prefix must start with '/' and not end with one: " + prefix);
        }
        String base = prefix.equals("/") ? "" : prefix;
        for (int i = 0; i < child.declared.size(); i++) {
            String[] r = child.declared.get(i);
            String pattern = r[1].equals("/") && !base.isEmpty() ? base : base + r[1];
            route(r[0], pattern, child.handlers.get(i));
        }
        return this;
    }

    private static String[] split(String path) {
        if (path.equals("/")) {
            return new String[0];
        }
        String p = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        return p.split("/", -1);
    }

    /**
     * The outcome of {@link #match}: a handler with its parameters, or why there is none.
     *
     * @param handler the handler, or null
     * @param params path parameters (empty if none)
     * @param allowed methods allowed on this path when the method did not match (for 405), else null
     * @param pattern the route pattern that matched (for logs and metric labels), or null
     */
    public record Match(Handler handler, Map<String, String> params, String allowed, String pattern) {
    }

    /**
     * @param method request method
     * @param path request path (not decoded; parameters are decoded here)
     * @return the match; {@code handler == null && allowed == null} means 404
     */
    public Match match(String method, String path) {
        Node fast = exact.get(path);
        if (fast != null) {
            Match m = fast.matches.get(method);
            if (m != null) {
                return m; // shared, allocation-free: no parameters on an exact route
            }
        }
        String[] segs = split(path);
        List<String> values = new ArrayList<>(2);
        Node n = find(root, segs, 0, values);
        if (n == null) {
            return new Match(null, Map.of(), null, null);
        }
        Handler h = n.handlers.get(method);
        if (h == null && method.equals("HEAD")) {
            h = n.handlers.get("GET");
        }
        if (h == null) {
            TreeSet<String> allow = new TreeSet<>(n.handlers.keySet());
            if (allow.contains("GET")) {
                allow.add("HEAD");
            }
            return new Match(null, Map.of(), String.join(", ", allow), n.pattern);
        }
        return new Match(h, params(values), null, n.pattern);
    }

    /** Depth-first, literal before parameter before wildcard; {@code found} collects name, value pairs. */
    private Node find(Node n, String[] segs, int i, List<String> found) {
        if (i == segs.length) {
            if (!n.handlers.isEmpty()) {
                return n;
            }
            return n.wildcard != null && !n.wildcard.handlers.isEmpty() ? wild(n.wildcard, segs, i, found) : null;
        }
        Node lit = n.literals.get(segs[i]);
        if (lit != null) {
            Node r = find(lit, segs, i + 1, found);
            if (r != null) {
                return r;
            }
        }
        if (n.param != null && !segs[i].isEmpty()) {
            found.add(n.paramName);
            found.add(segs[i]);
            Node r = find(n.param, segs, i + 1, found);
            if (r != null) {
                return r;
            }
            found.remove(found.size() - 1);
            found.remove(found.size() - 1);
        }
        return n.wildcard != null ? wild(n.wildcard, segs, i, found) : null;
    }

    private static Node wild(Node w, String[] segs, int i, List<String> found) {
        found.add("*");
        found.add(String.join("/", java.util.Arrays.copyOfRange(segs, i, segs.length)));
        return w;
    }

    private static Map<String, String> params(List<String> found) {
        if (found.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < found.size(); i += 2) {
            out.put(found.get(i), decode(found.get(i + 1)));
        }
        return Collections.unmodifiableMap(out);
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // malformed escapes are kept verbatim rather than failing the route
        }
    }

    private static final class Node {
        final HashMap<String, Node> literals = new HashMap<>();
        final LinkedHashMap<String, Handler> handlers = new LinkedHashMap<>();
        final HashMap<String, Match> matches = new HashMap<>();
        Node param;
        String paramName;
        String pattern;
        Node wildcard;
    }
}
