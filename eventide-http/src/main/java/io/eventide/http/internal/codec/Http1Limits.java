package io.eventide.http.internal.codec;

/**
 * Size limits of the HTTP/1.1 codec. Each limit bounds the memory and CPU one peer can make a
 * connection spend before the codec rejects the message; the error's reason names the limit and
 * its value.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>knob</th><th>default</th><th>on excess</th></tr>
 *   <tr><td>{@code max-request-line-bytes}</td><td>{@value #DEFAULT_MAX_REQUEST_LINE_BYTES}</td>
 *       <td>414</td></tr>
 *   <tr><td>{@code max-header-bytes} (whole head, request line included)</td>
 *       <td>{@value #DEFAULT_MAX_HEADER_BYTES}</td><td>431</td></tr>
 *   <tr><td>{@code max-header-count} (also bounds trailer fields)</td>
 *       <td>{@value #DEFAULT_MAX_HEADER_COUNT}</td><td>431</td></tr>
 *   <tr><td>{@code max-chunk-line-bytes} (chunk size and extensions)</td>
 *       <td>{@value #DEFAULT_MAX_CHUNK_LINE_BYTES}</td><td>400</td></tr>
 *   <tr><td>{@code max-trailer-bytes}</td><td>{@value #DEFAULT_MAX_TRAILER_BYTES}</td>
 *       <td>431</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param maxRequestLineBytes longest request line, CRLF excluded
 * @param maxHeaderBytes longest request head: request line, fields and the final empty line
 * @param maxHeaderCount most header fields in a head, and most trailer fields in a chunked body
 * @param maxChunkLineBytes longest chunk-size line: size, extensions and CRLF
 * @param maxTrailerBytes longest trailer section, final empty line included
 */
public record Http1Limits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount,
                          int maxChunkLineBytes, int maxTrailerBytes) {
    /** Default {@code max-request-line-bytes}. */
    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8192;
    /** Default {@code max-header-bytes}. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16384;
    /** Default {@code max-header-count}. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    /** Default {@code max-chunk-line-bytes}. */
    public static final int DEFAULT_MAX_CHUNK_LINE_BYTES = 4096;
    /** Default {@code max-trailer-bytes}. */
    public static final int DEFAULT_MAX_TRAILER_BYTES = 8192;

    private static final Http1Limits DEFAULTS = new Http1Limits(DEFAULT_MAX_REQUEST_LINE_BYTES,
            DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_CHUNK_LINE_BYTES,
            DEFAULT_MAX_TRAILER_BYTES);

    /** Checks that every limit is positive. */
    public Http1Limits {
        positive("max-request-line-bytes", maxRequestLineBytes);
        positive("max-header-bytes", maxHeaderBytes);
        positive("max-header-count", maxHeaderCount);
        positive("max-chunk-line-bytes", maxChunkLineBytes);
        positive("max-trailer-bytes", maxTrailerBytes);
    }

    /** {@return the default limits} */
    public static Http1Limits defaults() {
        return DEFAULTS;
    }

    private static void positive(String knob, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(knob + " must be positive: " + value);
        }
    }
}
