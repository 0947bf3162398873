package io.eventide.http;

import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context ({@code traceparent}, https://www.w3.org/TR/trace-context/): the trace id
 * one request keeps across every service it reaches, the id of the current span (one hop), and the
 * trace flags. Parse what a caller sent, start a child span for this hop, and pass
 * {@link #traceparent()} on to every call this hop makes (HTTP header, bus message header).
 *
 * <pre>{@code
 * TraceContext parent = TraceContext.parse(req.header(TraceContext.TRACEPARENT)); // null: absent or invalid
 * TraceContext span = parent == null ? TraceContext.root() : parent.child();     // this hop
 * client.request("GET", url).header(TraceContext.TRACEPARENT, span.traceparent()).send();
 * log("trace=" + span.traceId() + " span=" + span.spanId()
 *         + " parent=" + (parent == null ? "-" : parent.spanId()));
 * }</pre>
 *
 * <pre>
 *   traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
 *                ver trace-id (32 hex, not all 0)   span-id (16 hex)  flags (01: sampled)
 * </pre>
 *
 * <p>Parsing follows the specification's rules for a receiver: lowercase hex only; version
 * {@code ff} is invalid; version {@code 00} is exactly 55 characters; a later version may be longer
 * provided a {@code -} follows the flags, and is read as version 00 (and sent on as 00). An id of
 * all zeros is invalid. Anything invalid gives null, and the receiver starts a new trace, as the
 * specification asks. New ids come from {@link ThreadLocalRandom}: unique enough to follow a
 * request, never used for security.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId 16 lowercase hex digits, not all zero: this span, sent as the callee's parent-id
 * @param flags the trace flags (bit 0: sampled)
 */
public record TraceContext(String traceId, String spanId, int flags) {
    /** The header (and bus message header) that carries the context. */
    public static final String TRACEPARENT = "traceparent";
    /** The vendor-specific companion header, passed on unchanged when present. */
    public static final String TRACESTATE = "tracestate";
    /** Length of a version-00 {@code traceparent} value. */
    public static final int LENGTH = 55;
    /** The sampled flag. */
    public static final int SAMPLED = 0x01;

    private static final HexFormat HEX = HexFormat.of();

    /**
     * @throws IllegalArgumentException if an id is not lowercase hex of the right length, or all
     *     zeros, or the flags do not fit a byte
     */
    public TraceContext {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        if (traceId.length() != 32 || !validId(traceId, 0, 32)) {
            throw new IllegalArgumentException("trace id must be 32 lowercase hex digits, not all zero");
        }
        if (spanId.length() != 16 || !validId(spanId, 0, 16)) {
            throw new IllegalArgumentException("span id must be 16 lowercase hex digits, not all zero");
        }
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("flags must fit in one byte: " + flags);
        }
    }

    /**
     * Reads a {@code traceparent} value.
     *
     * @param header the value as received, or null
     * @return the context it carries (its span id is the caller's), or null when absent or invalid
     */
    public static TraceContext parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (h.length() < LENGTH || !lowerHex(h, 0, 2) || h.startsWith("ff")) {
            return null;
        }
        boolean v00 = h.startsWith("00");
        if (v00 ? h.length() != LENGTH : h.length() > LENGTH && h.charAt(LENGTH) != '-') {
            return null; // version 00 has no more fields; a later one separates them with '-'
        }
        if (h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-'
                || !validId(h, 3, 32) || !validId(h, 36, 16) || !lowerHex(h, 53, 2)) {
            return null;
        }
        return new TraceContext(h.substring(3, 35), h.substring(36, 52), Integer.parseInt(h, 53, 55, 16));
    }

    /** {@return a new trace: random trace and span ids, sampled} */
    public static TraceContext root() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new TraceContext(HEX.toHexDigits(nonZero(r)) + HEX.toHexDigits(r.nextLong()),
                HEX.toHexDigits(nonZero(r)), SAMPLED);
    }

    /**
     * The context of this hop: the caller's, parsed, with a new span; or a new trace when the
     * caller sent none or an invalid one.
     *
     * @param header the received {@code traceparent}, or null
     * @return a child of the received context, or {@link #root()}
     */
    public static TraceContext continueFrom(String header) {
        TraceContext parent = parse(header);
        return parent == null ? root() : parent.child();
    }

    /** {@return a child span: the same trace and flags, a new random span id} */
    public TraceContext child() {
        return new TraceContext(traceId, HEX.toHexDigits(nonZero(ThreadLocalRandom.current())), flags);
    }

    /** {@return whether the sampled flag is set} */
    public boolean sampled() {
        return (flags & SAMPLED) != 0;
    }

    /** {@return the version-00 {@code traceparent} value naming this span as the parent} */
    public String traceparent() {
        return "00-" + traceId + "-" + spanId + "-" + HEX.toHexDigits((byte) flags);
    }

    @Override
    public String toString() {
        return traceparent();
    }

    private static long nonZero(ThreadLocalRandom r) {
        long v;
        do {
            v = r.nextLong();
        } while (v == 0); // all-zero ids are invalid; a loop bounded in practice (p = 2^-64)
        return v;
    }

    private static boolean validId(String s, int from, int len) {
        if (s.length() < from + len || !lowerHex(s, from, len)) {
            return false;
        }
        for (int i = from; i < from + len; i++) {
            if (s.charAt(i) != '0') {
                return true;
            }
        }
        return false;
    }

    private static boolean lowerHex(String s, int from, int len) {
        if (s.length() < from + len) {
            return false;
        }
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
