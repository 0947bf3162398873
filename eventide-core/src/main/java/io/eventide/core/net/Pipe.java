package io.eventide.core.net;

import java.util.Objects;

/**
 * Pipes one connection into another with backpressure: Node's {@code src.pipe(dst)}. When
 * {@code dst}'s queue reaches its high watermark, {@code src} pauses; when it drains, {@code src}
 * resumes. When {@code src} ends, {@code dst} is ended after its queue flushed; when either side
 * closes, the other is closed too. A TCP proxy is two pipes:
 *
 * <pre>{@code
 * TcpServer.create(group, opts, in -> {
 *     in.pause();
 *     TcpClient.connect(in.loop(), "127.0.0.1", upstreamPort, opts).then(out -> {
 *         Pipe.between(in, out);
 *         Pipe.between(out, in);
 *         in.resume();
 *     });
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
     * {@code dst}'s drain handler.
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
    }

    /** Closes each side when the other closes (registered once per pair). */
    private static final class Closer {
        static void link(Connection a, Connection b) {
            a.onClose(cause -> {
                if (!b.isClosed()) {
                    b.close();
                }
            });
            b.onClose(cause -> {
                if (!a.isClosed()) {
                    a.close();
                }
            });
        }
    }
}
