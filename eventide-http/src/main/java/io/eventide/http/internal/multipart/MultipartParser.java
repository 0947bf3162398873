package io.eventide.http.internal.multipart;

import io.eventide.http.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental {@code multipart/form-data} parser (RFC 7578 on the framing of RFC 2046 §5.1.1),
 * fed buffers as they arrive and split anywhere. It copies nothing but part headers: part bodies
 * reach the {@link Listener} as views of the fed buffer.
 *
 * <pre>
 *   PREAMBLE ──"--b"──&gt; AFTER_BOUNDARY ──"--"──&gt; EPILOGUE (complete; rest ignored)
 *                            │ LWSP* CRLF
 *                            ▼
 *                         HEADERS ──CRLF CRLF──&gt; DATA ──CRLF "--b"──&gt; AFTER_BOUNDARY
 * </pre>
 *
 * <p>Delimiter search. A delimiter is {@code CRLF "--" boundary}; the first one may omit the CRLF
 * (§5.1.1), so the parser starts as if a CRLF had just been seen. Whole windows are searched with
 * Boyer-Moore-Horspool (a 40-byte boundary skips up to 44 bytes per probe). A delimiter prefix cut
 * by the end of a buffer is not copied: CR occurs only at its first byte (boundary characters are
 * bchars, §5.1.1), so the bytes held back are exactly the delimiter's first {@code matched} bytes,
 * and when the next buffer does not complete it they are released as data from the delimiter
 * array itself, and no later byte of them can start another delimiter.
 *
 * <table>
 *   <caption>Errors</caption>
 *   <tr><th>condition</th><th>status</th></tr>
 *   <tr><td>bytes other than {@code --}, LWSP or CRLF after a boundary; bare CR or LF, folding, no
 *       colon in a part header; no {@code Content-Disposition: form-data; name=...}</td><td>400</td></tr>
 *   <tr><td>part headers longer than {@code maxPartHeaderBytes}; more than {@code maxParts} parts</td>
 *       <td>413</td></tr>
 *   <tr><td>{@link #finish()} before the close delimiter</td><td>400</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> not thread-safe; used by one thread at a time (the request's loop).
 */
public final class MultipartParser {
    /**
     * Receives the parts as they are parsed: {@code partBegin}, any number of {@code partData},
     * {@code partEnd}, for each part in order. A listener may throw an {@link HttpException} to stop
     * the parse (a limit it enforces); {@link #feed} passes it on.
     *
     * <p><b>Threading:</b> called on the thread that calls {@link #feed}.
     */
    public interface Listener {
        /** @param head the part's headers; data follows */
        void partBegin(PartHead head);

        /** @param data part body bytes, valid only during the call; consume or copy them */
        void partData(ByteBuffer data);

        /** The current part's body is complete. */
        void partEnd();
    }

    private enum State { PREAMBLE, AFTER_BOUNDARY, PADDING, BOUNDARY_LF, CLOSE_DASH, HEADERS, DATA, EPILOGUE }

    /** Transport padding (RFC 2046 §5.1.1) we accept after a boundary before giving up. */
    private static final int MAX_PADDING = 256;

    private final byte[] delimiter;
    private final int[] skip = new int[256];
    private final int maxPartHeaderBytes;
    private final int maxParts;
    private final Listener listener;
    private State state = State.PREAMBLE;
    /** Delimiter bytes matched at the end of the previous buffer (PREAMBLE, DATA). */
    private int matched = 2;
    private int padding;
    private int parts;
    private byte[] head = new byte[256];
    private int headLen;

    /**
     * @param boundary the boundary parameter, already validated ({@link Boundary#parse})
     * @param maxPartHeaderBytes limit on one part's header section
     * @param maxParts limit on the number of parts
     * @param listener receives the parts
     */
    public MultipartParser(String boundary, int maxPartHeaderBytes, int maxParts, Listener listener) {
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxPartHeaderBytes = maxPartHeaderBytes;
        this.maxParts = maxParts;
        this.listener = listener;
        int n = delimiter.length;
        Arrays.fill(skip, n);
        for (int k = 0; k < n - 1; k++) {
            skip[delimiter[k] & 0xff] = n - 1 - k;
        }
    }

    /** @return whether the close delimiter has been seen */
    public boolean isComplete() {
        return state == State.EPILOGUE;
    }

    /** @return the number of parts begun so far */
    public int parts() {
        return parts;
    }

    /**
     * Consumes all of {@code in}, calling the listener for what it completes.
     *
     * @param in the next bytes of the body
     * @throws HttpException 400 if the body is malformed, 413 if it breaks a limit; the parser is
     *     then unusable
     */
    public void feed(ByteBuffer in) {
        while (in.hasRemaining()) {
            switch (state) {
                case PREAMBLE, DATA -> scan(in);
                case HEADERS -> headers(in);
                case EPILOGUE -> in.position(in.limit()); // RFC 2046 §5.1.1: epilogue is ignored
                default -> afterBoundary(in.get());
            }
        }
    }

    /**
     * Call at the end of the body.
     *
     * @throws HttpException 400 if the close delimiter was not seen
     */
    public void finish() {
        if (state != State.EPILOGUE) {
            throw malformed("body ended before the closing boundary");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Delimiter search (PREAMBLE discards what precedes the first boundary; DATA emits it)

    private void scan(ByteBuffer in) {
        if (matched > 0 && !continueMatch(in)) {
            return;
        }
        int start = in.position();
        int limit = in.limit();
        int n = delimiter.length;
        int i = start;
        while (i + n <= limit) {
            byte last = in.get(i + n - 1);
            if (last == delimiter[n - 1] && matchesAt(in, i, n)) {
                emit(in, start, i);
                in.position(i + n);
                delimiterFound();
                return;
            }
            i += skip[last & 0xff];
        }
        // Windows from i on run past the end: hold back a delimiter prefix, if the tail is one.
        for (; i < limit; i++) {
            if (in.get(i) == '\r' && matchesAt(in, i, limit - i)) {
                emit(in, start, i);
                matched = limit - i;
                in.position(limit);
                return;
            }
        }
        emit(in, start, limit);
        in.position(limit);
    }

    /** {@return whether the search goes on in {@code in}}: false if it ended or consumed the buffer */
    private boolean continueMatch(ByteBuffer in) {
        int pos = in.position();
        int need = delimiter.length - matched;
        int avail = in.remaining();
        int k = 0;
        while (k < need && k < avail && in.get(pos + k) == delimiter[matched + k]) {
            k++;
        }
        if (k == need) {
            in.position(pos + need);
            matched = 0;
            delimiterFound();
            return false;
        }
        if (k == avail) {
            matched += k;
            in.position(in.limit());
            return false;
        }
        // Not a delimiter after all: what was held back is data (see the class comment).
        if (state == State.DATA) {
            listener.partData(ByteBuffer.wrap(delimiter, 0, matched + k).asReadOnlyBuffer());
        }
        in.position(pos + k);
        matched = 0;
        return true;
    }

    private boolean matchesAt(ByteBuffer in, int at, int len) {
        for (int k = 0; k < len; k++) {
            if (in.get(at + k) != delimiter[k]) {
                return false;
            }
        }
        return true;
    }

    private void emit(ByteBuffer in, int from, int to) {
        if (state == State.DATA && to > from) {
            listener.partData(in.slice(from, to - from));
        }
    }

    private void delimiterFound() {
        if (state == State.DATA) {
            listener.partEnd();
        }
        state = State.AFTER_BOUNDARY;
        padding = 0;
    }

    // ------------------------------------------------------------------------------------------
    // What follows a boundary: "--" (close), or transport padding and CRLF (next part)

    private void afterBoundary(byte b) {
        switch (state) {
            case AFTER_BOUNDARY -> state = b == '-' ? State.CLOSE_DASH : padding(b);
            case PADDING -> state = padding(b);
            case CLOSE_DASH -> {
                if (b != '-') {
                    throw malformed("unexpected byte after a boundary");
                }
                state = State.EPILOGUE;
            }
            default -> { // BOUNDARY_LF
                if (b != '\n') {
                    throw malformed("boundary line not ended by CRLF");
                }
                beginHeaders();
            }
        }
    }

    private State padding(byte b) {
        if (b == '\r') {
            return State.BOUNDARY_LF;
        }
        if ((b == ' ' || b == '\t') && ++padding <= MAX_PADDING) {
            return State.PADDING;
        }
        throw malformed("unexpected byte after a boundary");
    }

    private void beginHeaders() {
        if (++parts > maxParts) {
            throw new HttpException(413, "multipart body has more than max-parts (" + maxParts + ") parts");
        }
        headLen = 0;
        state = State.HEADERS;
    }

    // ------------------------------------------------------------------------------------------
    // Part headers: collected up to the empty line, then parsed at once

    private void headers(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (headLen == maxPartHeaderBytes) {
                throw new HttpException(413, "part headers exceed max-part-header-bytes (" + maxPartHeaderBytes + ")");
            }
            if (headLen == head.length) {
                head = Arrays.copyOf(head, Math.min(head.length * 2, maxPartHeaderBytes));
            }
            head[headLen++] = in.get();
            boolean emptyHead = headLen == 2 && head[0] == '\r' && head[1] == '\n';
            if (emptyHead || (headLen >= 4 && head[headLen - 4] == '\r' && head[headLen - 3] == '\n'
                    && head[headLen - 2] == '\r' && head[headLen - 1] == '\n')) {
                PartHead ph = PartHead.parse(head, emptyHead ? 0 : headLen - 2);
                state = State.DATA;
                matched = 0;
                listener.partBegin(ph);
                return;
            }
        }
    }

    static HttpException malformed(String what) {
        return new HttpException(400, "malformed multipart body: " + what);
    }
}
