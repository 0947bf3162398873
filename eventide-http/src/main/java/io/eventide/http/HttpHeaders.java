package io.eventide.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An ordered multi-map of HTTP header (or trailer) fields: names compare case-insensitively
 * (RFC 9110 §5.1), values keep the order in which they were added, and repeated names are kept as
 * separate entries (RFC 9110 §5.3) rather than joined.
 *
 * <p>Storage is two parallel arrays scanned linearly: a request carries a dozen fields or so, and a
 * linear scan over that many entries beats hashing. Names the codec recognises are the interned
 * constants below (for example {@link #CONTENT_LENGTH}), so a lookup with a constant usually
 * matches by identity before falling back to {@link String#equalsIgnoreCase}. Parsed names the
 * codec recognises are reported in the canonical case of those constants; other names keep the
 * case in which they were received. Values of parsed fields are decoded as ISO-8859-1, so every
 * received byte maps to exactly one {@code char} (RFC 9110 §5.5 treats non-ASCII octets as
 * opaque).
 *
 * <p>Names and values are checked when they are written to the wire: the HTTP/1.1 encoder rejects
 * a name that is not a token, or a value holding CR, LF or another control character, with an
 * {@link IllegalArgumentException}, so header injection cannot reach a peer.
 *
 * <p><b>Threading:</b> not thread-safe: loop-confined while owned by a request or response.
 */
public final class HttpHeaders {
    /** {@code Accept}. */
    public static final String ACCEPT = "Accept";
    /** {@code Accept-Encoding}. */
    public static final String ACCEPT_ENCODING = "Accept-Encoding";
    /** {@code Accept-Language}. */
    public static final String ACCEPT_LANGUAGE = "Accept-Language";
    /** {@code Authorization}. */
    public static final String AUTHORIZATION = "Authorization";
    /** {@code Cache-Control}. */
    public static final String CACHE_CONTROL = "Cache-Control";
    /** {@code Connection}. */
    public static final String CONNECTION = "Connection";
    /** {@code Content-Encoding}. */
    public static final String CONTENT_ENCODING = "Content-Encoding";
    /** {@code Content-Length}. */
    public static final String CONTENT_LENGTH = "Content-Length";
    /** {@code Content-Type}. */
    public static final String CONTENT_TYPE = "Content-Type";
    /** {@code Cookie}. */
    public static final String COOKIE = "Cookie";
    /** {@code Date}. */
    public static final String DATE = "Date";
    /** {@code Expect}. */
    public static final String EXPECT = "Expect";
    /** {@code Host}. */
    public static final String HOST = "Host";
    /** {@code If-Modified-Since}. */
    public static final String IF_MODIFIED_SINCE = "If-Modified-Since";
    /** {@code If-None-Match}. */
    public static final String IF_NONE_MATCH = "If-None-Match";
    /** {@code Keep-Alive}. */
    public static final String KEEP_ALIVE = "Keep-Alive";
    /** {@code Location}. */
    public static final String LOCATION = "Location";
    /** {@code Origin}. */
    public static final String ORIGIN = "Origin";
    /** {@code Range}. */
    public static final String RANGE = "Range";
    /** {@code Referer}. */
    public static final String REFERER = "Referer";
    /** {@code Retry-After}. */
    public static final String RETRY_AFTER = "Retry-After";
    /** {@code Sec-WebSocket-Accept}. */
    public static final String SEC_WEBSOCKET_ACCEPT = "Sec-WebSocket-Accept";
    /** {@code Sec-WebSocket-Extensions}. */
    public static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";
    /** {@code Sec-WebSocket-Key}. */
    public static final String SEC_WEBSOCKET_KEY = "Sec-WebSocket-Key";
    /** {@code Sec-WebSocket-Protocol}. */
    public static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";
    /** {@code Sec-WebSocket-Version}. */
    public static final String SEC_WEBSOCKET_VERSION = "Sec-WebSocket-Version";
    /** {@code Server}. */
    public static final String SERVER = "Server";
    /** {@code Set-Cookie}. */
    public static final String SET_COOKIE = "Set-Cookie";
    /** {@code TE}. */
    public static final String TE = "TE";
    /** {@code Trailer}. */
    public static final String TRAILER = "Trailer";
    /** {@code Transfer-Encoding}. */
    public static final String TRANSFER_ENCODING = "Transfer-Encoding";
    /** {@code Upgrade}. */
    public static final String UPGRADE = "Upgrade";
    /** {@code User-Agent}. */
    public static final String USER_AGENT = "User-Agent";
    /** {@code X-Forwarded-For}. */
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";
    /** {@code X-Forwarded-Proto}. */
    public static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";

    private String[] names;
    private String[] values;
    private int size;

    /** Creates an empty map with room for eight fields. */
    public HttpHeaders() {
        this(8);
    }

    /**
     * Creates an empty map.
     *
     * @param initialCapacity number of fields to make room for; grows as needed
     */
    public HttpHeaders(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity must be >= 0: " + initialCapacity);
        }
        names = new String[Math.max(initialCapacity, 1)];
        values = new String[names.length];
    }

    /** {@return the number of fields, counting each repetition of a name} */
    public int size() {
        return size;
    }

    /** {@return whether there are no fields} */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * {@return the name of the field at {@code index}, in insertion order}
     *
     * @param index from 0 to {@code size() - 1}
     */
    public String name(int index) {
        return names[Objects.checkIndex(index, size)];
    }

    /**
     * {@return the value of the field at {@code index}, in insertion order}
     *
     * @param index from 0 to {@code size() - 1}
     */
    public String value(int index) {
        return values[Objects.checkIndex(index, size)];
    }

    /**
     * {@return the first value of the named field, or {@code null} if it is absent}
     *
     * @param name field name, any case
     */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values[i];
    }

    /**
     * {@return every value of the named field in insertion order; empty if it is absent}
     *
     * @param name field name, any case
     */
    public List<String> getAll(String name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return List.of();
        }
        List<String> all = new ArrayList<>(2);
        for (; i >= 0; i = indexOf(name, i + 1)) {
            all.add(values[i]);
        }
        return all;
    }

    /**
     * {@return whether at least one field has this name}
     *
     * @param name field name, any case
     */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /**
     * Appends a field, keeping any earlier fields of the same name.
     *
     * @param name field name
     * @param value field value
     * @return this map
     */
    public HttpHeaders add(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    /**
     * Replaces every field of this name with one field holding {@code value}. The field keeps the
     * position of the first one replaced, or is appended if there was none.
     *
     * @param name field name
     * @param value field value
     * @return this map
     */
    public HttpHeaders set(String name, String value) {
        Objects.requireNonNull(value, "value");
        int first = indexOf(Objects.requireNonNull(name, "name"), 0);
        if (first < 0) {
            return add(name, value);
        }
        values[first] = value;
        removeFrom(name, first + 1);
        return this;
    }

    /**
     * Removes every field of this name.
     *
     * @param name field name, any case
     * @return whether any field was removed
     */
    public boolean remove(String name) {
        return removeFrom(name, 0) > 0;
    }

    /** Removes every field, keeping the storage for reuse. */
    public void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    /**
     * Calls {@code action} with each name and value, in insertion order.
     *
     * @param action receives (name, value)
     */
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /**
     * Lists the field names only: values often carry credentials or cookies, and this text ends up
     * in logs.
     */
    @Override
    public String toString() {
        return "HttpHeaders" + Arrays.toString(Arrays.copyOf(names, size));
    }

    private int removeFrom(String name, int from) {
        int kept = from;
        for (int i = from; i < size; i++) {
            if (!sameName(names[i], name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        int removed = size - kept;
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return removed;
    }

    private int indexOf(String name, int from) {
        Objects.requireNonNull(name, "name");
        for (int i = from; i < size; i++) {
            if (sameName(names[i], name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean sameName(String a, String b) {
        // Identity first: parsed known names and callers' constants are the same interned String.
        return a == b || a.equalsIgnoreCase(b);
    }
}
