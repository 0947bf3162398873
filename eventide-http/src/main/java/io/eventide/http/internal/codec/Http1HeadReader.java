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
 * <p>Memory: a head that completes within one read needs nothing of its own. The copy path
 * accumulates into the thread's scratch array, and the scanner writes its offsets into the
 * thread's scratch {@link HeadLayout} array; both are only valid until the thread parses another
 * head, which cannot happen before the caller has built the head from them (the build is
 * synchronous, in the same {@code parse} call). Only a head still incomplete when a read ends is
 * copied into arrays of the reader's own ({@link #park}), allocated the first time that happens
 * and kept (up to {@value #RETAINED_BYTES} bytes) for the connection's next heads. An idle
 * keep-alive connection whose heads arrive whole holds no head buffer at all (every connection
 * held 1.3 KiB before), and one whose heads arrive in pieces allocates nothing per head. The copy
 * path copies at most
 * {@code max(}{@value #MIN_CHUNK}{@code , bytes already held)} bytes per round, so a pipelined
 * direct buffer full of small requests does not copy the whole limit for each of them.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its loop only.
 */
final class Http1HeadReader {
    private static final int MIN_CHUNK = 512;
    private static final int SCRATCH_BYTES = 1024;
    /** A thread keeps a scratch array grown up to this size; larger heads allocate. */
    private static final int RETAINED_BYTES = 4096;
    private static final int RETAINED_FIELDS = 4096;

    /** Each thread's scratch arrays: heads are scanned on event-loop threads, a few at most. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        byte[] bytes = new byte[SCRATCH_BYTES];
        int[] fields = new int[64];
    }

    private final Http1HeadScanner scanner;
    private final boolean skipEmptyLines;
    private final int maxBytes;
    /** Where the head accumulates: the thread's scratch array, or {@link #own}. */
    private byte[] acc;
    /** Whether {@code acc} is (or grew from) the thread's scratch array, not this reader's own. */
    private boolean accShared;
    /** This reader's own array, for heads that span reads; kept between heads. */
    private byte[] own;
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
        Scratch scratch = null;
        if (accLength == 0) {
            scratch = SCRATCH.get();
            acc = scratch.bytes;
            accShared = true;
            scanner.layout().borrow(scratch.fields);
        }
        result = accLength == 0 && in.hasArray() ? scanInPlace(in) : copyAndScan(in);
        if (scratch != null) {
            keepGrown(scratch);
        }
        if (result == Http1HeadScanner.NEED_MORE) {
            park();
        }
        return result;
    }

    /** Lets the thread keep scratch arrays that grew for this head, within bounds. */
    private void keepGrown(Scratch scratch) {
        if (accShared && acc != scratch.bytes && acc.length <= RETAINED_BYTES) {
            scratch.bytes = acc;
        }
        int[] fields = scanner.layout().borrowedArray();
        if (fields != null && fields != scratch.fields && fields.length <= RETAINED_FIELDS) {
            scratch.fields = fields;
        }
    }

    /** The head continues in a later read: move it into arrays of its own. */
    private void park() {
        if (accShared) {
            if (accLength > 0 && (own == null || own.length < accLength)) {
                own = new byte[Math.max(accLength, SCRATCH_BYTES)];
            }
            if (accLength > 0) {
                System.arraycopy(acc, 0, own, 0, accLength);
            }
            acc = own;
            accShared = false;
        }
        scanner.layout().park();
    }

    /** {@return the bytes this reader holds of its own between heads (its arrays, not the thread's)} */
    int retainedBytes() {
        return (own == null ? 0 : own.length) + 4 * scanner.layout().retainedInts();
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
            long doubled = acc == null ? SCRATCH_BYTES : acc.length * 2L;
            byte[] grown = new byte[(int) Math.min(maxBytes, Math.max(needed, doubled))];
            if (accLength > 0) {
                System.arraycopy(acc, 0, grown, 0, accLength);
            }
            acc = grown;
            if (!accShared) {
                own = grown;
            }
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
        if (own != null && own.length > RETAINED_BYTES) {
            own = null;
        }
        acc = own;
        accShared = false;
    }
}
