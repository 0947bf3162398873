package io.eventide.http.internal.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Incremental decoder of a chunked message body (RFC 9112 §7.1). Data comes out as views of the
 * input buffer, never copied; chunk framing, extensions and trailers are consumed and checked.
 *
 * <pre>
 *  chunked-body = *chunk last-chunk trailer-section CRLF
 *  chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *
 *  loop: switch (decoder.decode(in))
 *          DATA      -&gt; deliver decoder.data() (a view of in; valid until in is reused)
 *          NEED_MORE -&gt; in is drained; read more
 *          END       -&gt; decoder.trailers(); in.position() is just past the body
 *          ERROR     -&gt; respond errorStatus() and close
 * </pre>
 *
 * <p>Chunk extensions are ignored (RFC 9112 §7.1.1) but checked loosely: tokens, {@code =},
 * {@code ;}, whitespace and quoted strings, all within {@code max-chunk-line-bytes} together with
 * the size. Trailer fields get the same checks as header fields, bounded by
 * {@code max-trailer-bytes} and {@code max-header-count}.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
public final class ChunkedDecoder {
    /** Outcome of {@link #decode}. */
    public enum Result {
        /** Every byte was consumed and the body is not complete yet. */
        NEED_MORE,
        /** {@link #data()} holds the next bytes of the body. */
        DATA,
        /** The body is complete, trailers included; see {@link #trailers()}. */
        END,
        /** The body is malformed; see {@link #errorStatus()} and {@link #errorReason()}. */
        ERROR
    }

    private static final int SIZE_START = 0;
    private static final int SIZE = 1;
    private static final int SIZE_BWS = 2;
    private static final int EXTENSION = 3;
    private static final int QUOTED = 4;
    private static final int QUOTED_ESCAPE = 5;
    private static final int SIZE_LF = 6;
    private static final int DATA = 7;
    private static final int DATA_CR = 8;
    private static final int DATA_LF = 9;
    private static final int TRAILER_START = 10;
    private static final int LAST_LF = 11;
    private static final int TRAILERS = 12;
    private static final int ENDED = 13;
    private static final int FAILED = 14;

    private final Http1Limits limits;
    private Http1HeadScanner trailerScanner;
    private Http1HeadReader trailerReader;
    private int state;
    private long remaining;
    private int lineBytes;
    private ByteBuffer data;
    private Fields trailers;
    private int errorStatus;
    private String errorReason;

    /**
     * Creates a decoder.
     *
     * @param limits the limits to enforce
     */
    public ChunkedDecoder(Http1Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Consumes bytes from {@code in}, advancing its position, up to the next piece of body data,
     * the end of the body, or an error. Once {@code END} or {@code ERROR} is returned, further
     * calls return it again and consume nothing until {@link #reset()}.
     *
     * @param in bytes from the peer, starting where the previous call stopped
     * @return what the bytes held
     */
    public Result decode(ByteBuffer in) {
        data = null;
        while (in.hasRemaining()) {
            switch (state) {
                case DATA -> {
                    return data(in);
                }
                case TRAILER_START -> trailerStart(in);
                case TRAILERS -> {
                    return trailers(in);
                }
                case ENDED -> {
                    return Result.END;
                }
                case FAILED -> {
                    return Result.ERROR;
                }
                default -> step(in.get());
            }
        }
        return state == ENDED ? Result.END : state == FAILED ? Result.ERROR : Result.NEED_MORE;
    }

    private void step(byte c) {
        if (state <= SIZE_LF && ++lineBytes > limits.maxChunkLineBytes()) {
            fail(400, "chunk line exceeds max-chunk-line-bytes (" + limits.maxChunkLineBytes() + ")");
            return;
        }
        switch (state) {
            case SIZE_START, SIZE -> size(c);
            case SIZE_BWS -> state = c == ';' ? EXTENSION
                    : HttpChars.isOws(c) ? SIZE_BWS : failState(400, "invalid chunk size");
            case EXTENSION -> extension(c);
            case QUOTED -> quoted(c);
            case QUOTED_ESCAPE -> state = c == '\t' || c == ' ' || HttpChars.isFieldVchar(c)
                    ? QUOTED : failState(400, "invalid chunk extension");
            case SIZE_LF -> sizeLineEnd(c);
            case DATA_CR -> state = c == '\r' ? DATA_LF : failState(400, "missing CRLF after chunk data");
            case DATA_LF -> state = c == '\n' ? SIZE_START : failState(400, "missing CRLF after chunk data");
            case LAST_LF -> state = c == '\n' ? ENDED : failState(400, "bare CR");
            default -> throw new IllegalStateException("state " + state);
        }
    }

    private void size(byte c) {
        int digit = HttpChars.hexValue(c);
        if (digit >= 0) {
            if (remaining > (Long.MAX_VALUE >> 4)) {
                fail(400, "chunk size overflow");
                return;
            }
            remaining = (remaining << 4) | digit;
            state = SIZE;
        } else if (state == SIZE_START) {
            fail(400, "invalid chunk size");
        } else if (c == ';') {
            state = EXTENSION;
        } else if (HttpChars.isOws(c)) {
            // RFC 9112 §7.1.1: BWS may precede the ";" of an extension, and nothing else may:
            // "5 6" must not be read as 5 by us and as 0x56 by an intermediary.
            state = SIZE_BWS;
        } else if (c == '\r') {
            state = SIZE_LF;
        } else {
            fail(400, "invalid chunk size");
        }
    }

    private void extension(byte c) {
        if (c == '\r') {
            state = SIZE_LF;
        } else if (c == '"') {
            state = QUOTED;
        } else if (!HttpChars.isTchar(c) && c != '=' && c != ';' && !HttpChars.isOws(c)) {
            fail(400, "invalid chunk extension");
        }
    }

    private void quoted(byte c) {
        // RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text.
        if (c == '"') {
            state = EXTENSION;
        } else if (c == '\\') {
            state = QUOTED_ESCAPE;
        } else if (c != '\t' && c != ' ' && !HttpChars.isFieldVchar(c)) {
            fail(400, "invalid chunk extension");
        }
    }

    private void sizeLineEnd(byte c) {
        if (c != '\n') {
            fail(400, "bare CR");
            return;
        }
        lineBytes = 0;
        state = remaining == 0 ? TRAILER_START : DATA;
    }

    private Result data(ByteBuffer in) {
        int position = in.position();
        int n = (int) Math.min(remaining, in.remaining());
        data = in.slice(position, n);
        in.position(position + n);
        remaining -= n;
        if (remaining == 0) {
            state = DATA_CR;
        }
        return Result.DATA;
    }

    private void trailerStart(ByteBuffer in) {
        // Peek: a field's first byte must stay in the buffer for the trailer reader.
        byte c = in.get(in.position());
        if (c == '\r') {
            in.get();
            state = LAST_LF; // "0 CRLF CRLF": no trailers, the common case; no reader needed
        } else if (c == '\n') {
            fail(400, "bare LF");
        } else {
            if (trailerReader == null) {
                trailerScanner = new Http1HeadScanner(limits, true);
                trailerReader = new Http1HeadReader(trailerScanner, false, limits.maxTrailerBytes());
            }
            state = TRAILERS;
        }
    }

    private Result trailers(ByteBuffer in) {
        int scanned = trailerReader.feed(in);
        if (scanned == Http1HeadScanner.NEED_MORE) {
            return Result.NEED_MORE;
        }
        if (scanned == Http1HeadScanner.ERROR) {
            fail(trailerScanner.errorStatus(), trailerScanner.errorReason());
            return Result.ERROR;
        }
        trailers = Fields.copyOf(trailerReader.window(), trailerReader.windowBase(),
                trailerScanner.layout());
        state = ENDED;
        return Result.END;
    }

    /**
     * {@return the body bytes found by the last {@code DATA} result}: a view sharing the input
     * buffer's content, valid until that buffer is reused; {@code null} after other results
     */
    public ByteBuffer data() {
        return data;
    }

    /**
     * {@return the trailer fields after {@code END}; empty if the body had none}
     *
     * @throws IllegalStateException before {@code END}
     */
    public Fields trailers() {
        if (state != ENDED) {
            throw new IllegalStateException("chunked body not complete");
        }
        return trailers == null ? Fields.EMPTY : trailers;
    }

    /** {@return the HTTP status to answer a malformed body with (400 or 431), or 0} */
    public int errorStatus() {
        return errorStatus;
    }

    /** {@return a short reason for the error that never quotes the peer's bytes, or {@code null}} */
    public String errorReason() {
        return errorReason;
    }

    /** Gets ready for the next chunked body on the same connection. */
    public void reset() {
        state = SIZE_START;
        remaining = 0;
        lineBytes = 0;
        data = null;
        trailers = null;
        errorStatus = 0;
        errorReason = null;
        if (trailerReader != null) {
            trailerReader.reset();
        }
    }

    private int failState(int status, String reason) {
        fail(status, reason);
        return FAILED;
    }

    private void fail(int status, String reason) {
        if (state != FAILED) {
            state = FAILED;
            errorStatus = status;
            errorReason = reason;
        }
    }
}
