package io.eventide.core.fs;

import io.eventide.core.net.Connection;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a stream's bytes go, with backpressure: a TCP {@link Connection}, an HTTP response (see
 * {@code io.eventide.http.HttpStreams.sink}), or a {@link FileWriteStream}. It is the contract
 * {@link FileReadStream#pipeTo} drives:
 *
 * <pre>
 *   write(buf) == false ──► source pauses ──► ... ──► onDrain ──► source resumes
 *   source ended ──► end()          source failed ──► destroy()
 *   sink closed early (peer left, disk full) ──► onClose(cause) ──► source stops
 * </pre>
 *
 * <p><b>Threading:</b> loop-confined: every method is called on the sink's loop, and its
 * callbacks run there.
 */
public interface ByteSink {

    /**
     * @param src bytes to send; all of them are taken (sent or copied) before this returns, so the
     *     caller may reuse {@code src}
     * @return false when the sink's queue is past its high watermark: stop until {@link #onDrain}
     */
    boolean write(ByteBuffer src);

    /** @param handler runs when a sink that returned false from {@link #write} can take more */
    void onDrain(Runnable handler);

    /**
     * @param handler runs once if the sink closes before {@link #end()} completed it, with the
     *     cause or null (the peer went away, the disk filled up)
     */
    void onClose(Consumer<Throwable> handler);

    /** The source ended: flush what is queued and complete the sink. */
    void end();

    /** The source failed: the sink cannot be completed; close it without pretending it is whole. */
    void destroy();

    /**
     * A TCP connection as a sink. Replaces the connection's drain and close handlers.
     *
     * @param c the connection
     * @return the sink
     */
    static ByteSink of(Connection c) {
        Objects.requireNonNull(c, "c");
        return new ByteSink() {
            @Override
            public boolean write(ByteBuffer src) {
                if (c.isClosed() || c.isEnding()) {
                    src.position(src.limit());
                    return false;
                }
                return c.write(src);
            }

            @Override
            public void onDrain(Runnable handler) {
                c.onDrain(handler);
            }

            @Override
            public void onClose(Consumer<Throwable> handler) {
                c.onClose(handler);
            }

            @Override
            public void end() {
                if (!c.isClosed() && !c.isEnding()) {
                    c.end();
                }
            }

            @Override
            public void destroy() {
                c.destroy();
            }

            @Override
            public String toString() {
                return "ByteSink[" + c + "]";
            }
        };
    }
}
