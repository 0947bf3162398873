package io.eventide.core.net;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Pipes one connection into another with backpressure: Node's {@code src.pipe(dst)}. When
 * {@code dst}'s queue reaches its high watermark, {@code src} pauses; when it drains, {@code src}
 * resumes. When {@code src} ends, {@code dst} is ended after its queue flushed; when either side
 * closes, the other is closed too. A TCP proxy is two pipes:
 *
 * <pre>{@code
 * TcpServer.create(group, opts, in -> {
 *     in.pause();
 *     TcpClient.connect(in.loop(), "127.0.0.1", upstreamPort, opts).onSuccess(out -> {
 *         Pipe.between(in, out);
 *         Pipe.between(out, in);
 *         in.resume();
 *     }).onFailure(in::destroy);
 * });
 * }</pre>
 *
 * <p><b>Threading:</b> loop-confined; both connections must belong to the same loop (connect the
 * upstream with {@code in.loop()}), so bytes never cross threads.
 */
public final class Pipe {
    private Pipe() {
    }

    /**
     * Starts piping {@code src} into {@code dst}. Replaces {@code src}'s data and end handlers and
     * {@code dst}'s drain handler; keeps both close handlers set so far (they run before the pipe
     * closes the other side). A close handler set after this call replaces the pipe's.
     *
     * @param src where bytes come from
     * @param dst where they go
     */
    public static void between(Connection src, Connection dst) {
        Objects.requireNonNull(src);
        Objects.requireNonNull(dst);
        if (src.loop() != dst.loop()) {
            throw new IllegalArgumentException("pipe needs both connections on one loop; got " + src.loop().name()
                    + " and " + dst.loop().name());
        }
        src.onData(buf -> {
            if (dst.isEnding()) {
                buf.position(buf.limit());
                return;
            }
            if (!dst.write(buf)) {
                src.pause();
            }
        });
        dst.onDrain(() -> {
            if (!src.isClosed()) {
                src.resume();
            }
        });
        src.onEnd(() -> {
            if (!dst.isEnding()) {
                dst.end();
            }
        });
        Closer.link(src, dst);
        // One side may have closed before the pipe existed (the client left while the upstream was
        // still connecting): its close handler already ran, so close the other one here.
        if (src.isClosed() != dst.isClosed()) {
            (src.isClosed() ? dst : src).close();
        }
    }

    /**
     * Closes each side when the other closes. The handlers set before piping still run first: a
     * proxy's own close bookkeeping (metrics, pools) must not be silently dropped by piping.
     */
    private static final class Closer {
        static void link(Connection a, Connection b) {
            chain(a, b);
            chain(b, a);
        }

        private static void chain(Connection closing, Connection other) {
            Consumer<Throwable> previous = closing.closeHandler();
            closing.onClose(cause -> {
                try {
                    previous.accept(cause);
                } finally {
                    if (!other.isClosed()) {
                        other.close();
                    }
                }
            });
        }
    }
}
