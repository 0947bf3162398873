package io.eventide.http.internal.codec;

import java.nio.ByteBuffer;

/**
 * Feeds a {@link Http1HeadScanner} from a connection's buffers and keeps a partial head between
 * reads. Two paths:
 *
 * <pre>
 *  fast path: nothing buffered and a heap input  -&gt; scan the input's own array;
 *             head complete here                 -&gt; done, zero copies
 *             head incomplete                    -&gt; copy the tail into acc, need more
 *  copy path: a partial head, or a direct input  -&gt; copy a bounded chunk into acc, scan
 *             only the new bytes; on completion give back the bytes past the head
 * </pre>
 *
 * <p>The accumulation buffer {@code acc} is allocated on first need, grows by doubling up to the
 * byte limit, and is dropped on {@link #reset} when it grew past {@value #RETAINED_BYTES} bytes,
 * so an idle keep-alive connection holds at most that much. The copy path copies at most
 * {@code max(}{@value #MIN_CHUNK}{@code , bytes already held)} bytes per round, so a pipelined
 * direct buffer full of small requests does not copy the whole limit for each of them.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
final class Http1HeadReader {
    private static final int MIN_CHUNK = 512;
    private static final int RETAINED_BYTES = 4096;

    private final Http1HeadScanner scanner;
    private final boolean skipEmptyLines;
    private final int maxBytes;
    private byte[] acc;
    private int accLength;
    private byte[] window;
    private int windowBase;
    private boolean started;
    private boolean pendingCr;

    /**
     * @param scanner the scanner to feed
     * @param skipEmptyLines whether to skip CRLFs before the head, as RFC 9112 §2.2 asks of a
     *     server before a request line
     * @param maxBytes the scanner's byte limit
     */
    Http1HeadReader(Http1HeadScanner scanner, boolean skipEmptyLines, int maxBytes) {
        this.scanner = scanner;
        this.skipEmptyLines = skipEmptyLines;
        this.maxBytes = maxBytes;
        this.started = !skipEmptyLines;
    }

    /**
     * Consumes bytes of the head from {@code in}. On {@link Http1HeadScanner#DONE} the position is
     * just past the head's final CRLF; on {@link Http1HeadScanner#NEED_MORE} every byte was
     * consumed; on {@link Http1HeadScanner#ERROR} the position is unspecified.
     */
    int feed(ByteBuffer in) {
        int result = scanner.result();
        if (result != Http1HeadScanner.NEED_MORE) {
            return result;
        }
        if (!started && !skipEmptyLines(in)) {
            return scanner.result();
        }
        if (accLength == 0 && in.hasArray()) {
            return scanInPlace(in);
        }
        return copyAndScan(in);
    }

    private boolean skipEmptyLines(ByteBuffer in) {
        int p = in.position();
        int limit = in.limit();
        for (; p < limit && !started; p++) {
            byte c = in.get(p);
            if (pendingCr) {
                if (c != '\n') {
                    scanner.fail(400, "bare CR");
                    return false;
                }
                pendingCr = false;
            } else if (c == '\r') {
                pendingCr = true;
            } else if (c == '\n') {
                scanner.fail(400, "bare LF");
                return false;
            } else {
                started = true;
                p--;
            }
        }
        in.position(p);
        return started;
    }

    private int scanInPlace(ByteBuffer in) {
        byte[] array = in.array();
        int base = in.arrayOffset() + in.position();
        int available = in.remaining();
        int result = scanner.scan(array, base, available);
        if (result == Http1HeadScanner.DONE) {
            window = array;
            windowBase = base;
            in.position(in.position() + scanner.layout().headLength());
        } else if (result == Http1HeadScanner.NEED_MORE) {
            // The scanner bounds its input by maxBytes, so available <= maxBytes here.
            ensureCapacity(available);
            System.arraycopy(array, base, acc, 0, available);
            accLength = available;
            in.position(in.limit());
        }
        return result;
    }

    private int copyAndScan(ByteBuffer in) {
        while (in.hasRemaining()) {
            int room = maxBytes - accLength;
            if (room == 0) {
                scanner.tooLarge();
                return Http1HeadScanner.ERROR;
            }
            int n = Math.min(in.remaining(), Math.min(room, Math.max(MIN_CHUNK, accLength)));
            ensureCapacity(accLength + n);
            in.get(acc, accLength, n);
            accLength += n;
            int result = scanner.scan(acc, 0, accLength);
            if (result == Http1HeadScanner.DONE) {
                // Give back what was copied past the head: the body or the next request.
                in.position(in.position() - (accLength - scanner.layout().headLength()));
                window = acc;
                windowBase = 0;
            }
            if (result != Http1HeadScanner.NEED_MORE) {
                return result;
            }
        }
        return Http1HeadScanner.NEED_MORE;
    }

    private void ensureCapacity(int needed) {
        if (acc == null || acc.length < needed) {
            long doubled = acc == null ? 1024 : acc.length * 2L;
            byte[] grown = new byte[(int) Math.min(maxBytes, Math.max(needed, doubled))];
            if (accLength > 0) {
                System.arraycopy(acc, 0, grown, 0, accLength);
            }
            acc = grown;
        }
    }

    /** {@return the array holding the completed head} */
    byte[] window() {
        return window;
    }

    /** {@return the index of the completed head's first byte in {@link #window()}} */
    int windowBase() {
        return windowBase;
    }

    /** {@return whether any byte of a head, or of the empty lines before it, was consumed} */
    boolean inProgress() {
        return pendingCr || (skipEmptyLines ? started : accLength > 0);
    }

    void reset() {
        scanner.reset();
        accLength = 0;
        window = null;
        started = !skipEmptyLines;
        pendingCr = false;
        if (acc != null && acc.length > RETAINED_BYTES) {
            acc = null;
        }
    }
}
