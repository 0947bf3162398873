package io.eventide.http.internal.codec;

import io.eventide.http.HttpLimits;

/** The codec's limits at the API's defaults, for codec tests (the defaults are declared in {@link HttpLimits}). */
public final class TestLimits {
    /** {@link HttpLimits#defaults()}, as the codec sees them. */
    public static final Http1Limits DEFAULTS = of(HttpLimits.defaults());

    private TestLimits() {
    }

    /** @param l API limits @return the codec's view of them */
    public static Http1Limits of(HttpLimits l) {
        return new Http1Limits(l.maxStartLineBytes(), l.maxHeaderBytes(), l.maxHeaderCount(), l.maxChunkLineBytes(),
                l.maxTrailerBytes());
    }
}
