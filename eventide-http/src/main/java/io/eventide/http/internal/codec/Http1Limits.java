package io.eventide.http.internal.codec;

/**
 * The size limits the codec enforces, as plain numbers: the codec's view of the API's
 * {@code HttpLimits}, which declares the knobs and their defaults (the engines convert it, once,
 * when a server or client is made). Each limit bounds the memory and CPU one peer can make a
 * connection spend before the codec rejects the message; the error's reason names the limit and
 * its value.
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param maxStartLineBytes longest request line or status line, CRLF excluded
 * @param maxHeaderBytes longest request head (request line, fields and the final empty line), or
 *     field section of a response
 * @param maxHeaderCount most header fields in a head, and most trailer fields in a chunked body
 * @param maxChunkLineBytes longest chunk-size line: size, extensions and CRLF
 * @param maxTrailerBytes longest trailer section, final empty line included
 */
public record Http1Limits(int maxStartLineBytes, int maxHeaderBytes, int maxHeaderCount,
                          int maxChunkLineBytes, int maxTrailerBytes) {
    /** Checks that every limit is positive. */
    public Http1Limits {
        positive("max-start-line-bytes", maxStartLineBytes);
        positive("max-header-bytes", maxHeaderBytes);
        positive("max-header-count", maxHeaderCount);
        positive("max-chunk-line-bytes", maxChunkLineBytes);
        positive("max-trailer-bytes", maxTrailerBytes);
    }

    private static void positive(String knob, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(knob + " must be positive: " + value);
        }
    }
}
