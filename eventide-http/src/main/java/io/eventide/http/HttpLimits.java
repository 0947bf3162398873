package io.eventide.http;

/**
 * Size limits of HTTP/1.1 messages, one type for the server (limits on requests) and the client
 * (limits on responses). Each bounds the memory and CPU one peer can make a connection spend
 * before the message is refused; the error names the limit and its value.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>default</th><th>server: on excess</th><th>client: on excess</th></tr>
 *   <tr><td>maxStartLineBytes: request line / status line, CRLF excluded</td>
 *       <td>{@value #DEFAULT_MAX_START_LINE_BYTES}</td><td>414</td><td>malformed response</td></tr>
 *   <tr><td>maxHeaderBytes: the whole head (server), the field section (client)</td>
 *       <td>{@value #DEFAULT_MAX_HEADER_BYTES}</td><td>431</td><td>malformed response</td></tr>
 *   <tr><td>maxHeaderCount: header fields, and trailer fields of a chunked body</td>
 *       <td>{@value #DEFAULT_MAX_HEADER_COUNT}</td><td>431</td><td>malformed response</td></tr>
 *   <tr><td>maxChunkLineBytes: a chunk's size line with its extensions</td>
 *       <td>{@value #DEFAULT_MAX_CHUNK_LINE_BYTES}</td><td>400</td><td>malformed response</td></tr>
 *   <tr><td>maxTrailerBytes: the trailer section of a chunked body</td>
 *       <td>{@value #DEFAULT_MAX_TRAILER_BYTES}</td><td>431</td><td>malformed response</td></tr>
 * </table>
 *
 * {@snippet :
 * HttpLimits limits = HttpLimits.builder().maxHeaderBytes(32 * 1024).build();
 * HttpOptions options = HttpOptions.builder().limits(limits).build();
 * }
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param maxStartLineBytes longest request line (server) or status line (client)
 * @param maxHeaderBytes longest head (server: request line, fields and final CRLF) or field
 *     section (client)
 * @param maxHeaderCount most header fields, and most trailer fields
 * @param maxChunkLineBytes longest chunk-size line: size, extensions and CRLF
 * @param maxTrailerBytes longest trailer section, final CRLF included
 */
public record HttpLimits(int maxStartLineBytes, int maxHeaderBytes, int maxHeaderCount, int maxChunkLineBytes,
        int maxTrailerBytes) {
    /** Default {@code maxStartLineBytes}. */
    public static final int DEFAULT_MAX_START_LINE_BYTES = 8192;
    /** Default {@code maxHeaderBytes}. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16384;
    /** Default {@code maxHeaderCount}. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    /** Default {@code maxChunkLineBytes}. */
    public static final int DEFAULT_MAX_CHUNK_LINE_BYTES = 4096;
    /** Default {@code maxTrailerBytes}. */
    public static final int DEFAULT_MAX_TRAILER_BYTES = 8192;

    private static final HttpLimits DEFAULTS = new HttpLimits(DEFAULT_MAX_START_LINE_BYTES, DEFAULT_MAX_HEADER_BYTES,
            DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_CHUNK_LINE_BYTES, DEFAULT_MAX_TRAILER_BYTES);

    /** Checks that every limit is positive. */
    public HttpLimits {
        positive("maxStartLineBytes", maxStartLineBytes);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("maxHeaderCount", maxHeaderCount);
        positive("maxChunkLineBytes", maxChunkLineBytes);
        positive("maxTrailerBytes", maxTrailerBytes);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** {@return the defaults} */
    public static HttpLimits defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** {@return a builder starting from these limits} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds {@link HttpLimits}.
     *
     * <p><b>Threading:</b> not thread-safe; use from one thread.
     */
    public static final class Builder {
        private int maxStartLineBytes;
        private int maxHeaderBytes;
        private int maxHeaderCount;
        private int maxChunkLineBytes;
        private int maxTrailerBytes;

        private Builder(HttpLimits from) {
            maxStartLineBytes = from.maxStartLineBytes;
            maxHeaderBytes = from.maxHeaderBytes;
            maxHeaderCount = from.maxHeaderCount;
            maxChunkLineBytes = from.maxChunkLineBytes;
            maxTrailerBytes = from.maxTrailerBytes;
        }

        /** @param n request-line or status-line limit @return this builder */
        public Builder maxStartLineBytes(int n) {
            maxStartLineBytes = n;
            return this;
        }

        /** @param n head limit @return this builder */
        public Builder maxHeaderBytes(int n) {
            maxHeaderBytes = n;
            return this;
        }

        /** @param n field-count limit @return this builder */
        public Builder maxHeaderCount(int n) {
            maxHeaderCount = n;
            return this;
        }

        /** @param n chunk-size line limit @return this builder */
        public Builder maxChunkLineBytes(int n) {
            maxChunkLineBytes = n;
            return this;
        }

        /** @param n trailer-section limit @return this builder */
        public Builder maxTrailerBytes(int n) {
            maxTrailerBytes = n;
            return this;
        }

        /** {@return the limits} @throws IllegalArgumentException if one is not positive */
        public HttpLimits build() {
            return new HttpLimits(maxStartLineBytes, maxHeaderBytes, maxHeaderCount, maxChunkLineBytes, maxTrailerBytes);
        }
    }
}
