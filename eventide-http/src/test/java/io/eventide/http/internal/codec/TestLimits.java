package io.eventide.http.internal.codec;

import io.eventide.http.HttpLimits;

/** The codec's limits at the API's defaults, for codec tests (the defaults are declared in {@link HttpLimits}). */
public final class TestLimits {
    /** {@link HttpLimits#defaults()}, as the codec sees them. */
    public static final Http1Limits DEFAULTS = of(HttpLimits.defaults());

    private TestLimits() {
    }

    /** @param f the codec's fields @return the API's map of them */
    public static io.eventide.http.HttpHeaders headers(Fields f) {
        io.eventide.http.HttpHeaders h = new io.eventide.http.HttpHeaders(Math.max(1, f.size()));
        for (int i = 0; i < f.size(); i++) {
            h.add(f.name(i), f.value(i));
        }
        return h;
    }

    /** @param l API limits @return the codec's view of them */
    public static Http1Limits of(HttpLimits l) {
        return new Http1Limits(l.maxStartLineBytes(), l.maxHeaderBytes(), l.maxHeaderCount(), l.maxChunkLineBytes(),
                l.maxTrailerBytes());
    }
}
