package io.eventide.core.net;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.internal.io.Sock;
import io.eventide.core.tls.TlsInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;

/**
 * A TCP connection on one loop: Node's {@code net.Socket}. Reads arrive through {@link #onData}
 * in the loop's shared read buffer; writes go out at once when the socket takes them and are queued
 * (in pooled direct buffers) when it does not.
 *
 * <pre>
 *   socket ──read──► loop read buffer ──► onData(buf)        (buf valid only during the call)
 *   write(buf) ──► socket, or copy ──► write queue ──OP_WRITE──► socket
 *                       queued &gt;= high watermark: write() returns false → pause the producer
 *                       queued &lt;= low watermark after that: onDrain → resume it
 * </pre>
 *
 * <p>Lifecycle: the peer's FIN calls {@link #onEnd} and, unless half-open is allowed, ends our side
 * too. {@link #end()} flushes then half-closes; {@link #close()} flushes then closes;
 * {@link #destroy()} closes now and drops queued bytes. {@link #onClose} runs exactly once, with the
 * cause ({@code null} for a clean close). I/O errors go to {@link #onError} (if set), then close the
 * connection. A callback that throws is treated the same way: it closes only this connection.
 *
 * <p>Handlers are single slots (like Vert.x): set them one by one, or all at once with
 * {@link #protocol(Protocol)}, which is also how a protocol hands the connection to the next one.
 * The socket side (reads, the write queue, interest ops, half-close) lives in a {@code Wire}, the
 * idle timeout in an {@code IdleTimer}.
 *
 * <p><b>Threading:</b> loop-confined: every method must be called on {@link #loop()}'s thread
 * (checked), and every callback runs there. To act from elsewhere use {@code loop().execute(...)}.
 */
public final class Connection {
    private static final AtomicLong IDS = new AtomicLong();

    private final EventLoop loop;
    private final TcpOptions options;
    private final long id = IDS.incrementAndGet();
    private final IdleTimer idle;
    private final Wire wire;
    private final Handlers handlers;
    private Object context;

    /** Called by servers and clients to report lifecycle to their owner. */
    interface ConnectionListener {
        void closed(Connection c);
    }

    Connection(EventLoop loop, Sock channel, TcpOptions options, ConnectionListener owner) {
        this.loop = loop;
        this.options = options;
        this.handlers = new Handlers(this, owner);
        this.idle = new IdleTimer(loop, handlers::failed);
        this.wire = new Wire(loop, channel, options, idle, handlers);
        handlers.wire(wire);
    }

    /** Registers with the loop and starts reading. Loop thread. */
    void open(int initialOps) throws IOException {
        wire.open(initialOps);
        startIdleTimer();
    }

    /** Takes over a key registered by a connector. Loop thread. */
    void adopt(int ops) {
        wire.adopt(ops);
        startIdleTimer();
    }

    /** Puts TLS in front of the socket and starts the handshake; {@code ready} runs when it is done. */
    void startTls(SSLEngine engine, Duration timeout, TlsCounters counters, String host, Consumer<TlsInfo> ready) {
        wire.startTls(engine, timeout, counters, host, ready);
    }

    /** @return whether TLS was put in front of the socket (the handshake may still be running) */
    boolean tlsStarted() {
        return wire.tlsStarted();
    }

    private void startIdleTimer() {
        if (!options.idleTimeout().isZero()) {
            idle.start(options.idleTimeout());
        }
    }

    /**
     * Installs {@code next} as this connection's protocol: every handler slot at once, and the label.
     * Then calls {@link Protocol#attached}. Loop-confined.
     *
     * @param next the protocol that now speaks over this connection
     * @return this connection
     */
    public Connection protocol(Protocol next) {
        checkLoop();
        handlers.install(Objects.requireNonNull(next, "next"));
        return this;
    }

    /**
     * Hands this connection over to {@code next} (a protocol switch): installs it like
     * {@link #protocol(Protocol)}, then delivers {@code unread}, the bytes the previous protocol read
     * past its last message (the first WebSocket frames behind an upgrade request), as if they had
     * just been read. Loop-confined.
     *
     * @param next the protocol that takes over
     * @param unread bytes read but not consumed, in read mode; may be null or empty
     */
    public void protocol(Protocol next, ByteBuffer unread) {
        protocol(next);
        if (unread != null && unread.hasRemaining() && !isClosed()) {
            handlers.data(unread);
        }
    }

    /**
     * @param handler receives data; the buffer is the loop's read buffer, valid only during the
     *     call: consume it or copy what you keep
     * @return this connection
     */
    public Connection onData(Consumer<ByteBuffer> handler) {
        handlers.onData = Objects.requireNonNull(handler);
        return this;
    }

    /** @param handler called when the peer half-closes (FIN) @return this connection */
    public Connection onEnd(Runnable handler) {
        handlers.onEnd = Objects.requireNonNull(handler);
        return this;
    }

    /** @param handler called when the write queue drains below the low watermark @return this */
    public Connection onDrain(Runnable handler) {
        handlers.onDrain = Objects.requireNonNull(handler);
        return this;
    }

    /** @param handler called once when closed, with the cause or null @return this connection */
    public Connection onClose(Consumer<Throwable> handler) {
        handlers.onClose = Objects.requireNonNull(handler);
        return this;
    }

    /** @return the current close handler, for {@link Pipe} to chain rather than replace */
    Consumer<Throwable> closeHandler() {
        return handlers.onClose;
    }

    /** @param handler receives I/O errors and exceptions thrown by callbacks @return this */
    public Connection onError(Consumer<Throwable> handler) {
        handlers.onError = handler;
        return this;
    }

    /**
     * @param handler called when the loop group closes gracefully; default: {@link #end()}
     * @return this connection
     */
    public Connection onShutdown(Runnable handler) {
        handlers.onShutdown = handler;
        return this;
    }

    /** @param name shown by the watchdog and in logs, e.g. the protocol @return this */
    public Connection label(String name) {
        handlers.label = Objects.requireNonNull(name);
        return this;
    }

    /** @param ctx any object the application wants to hang on this connection @return this */
    public Connection context(Object ctx) {
        this.context = ctx;
        return this;
    }

    /** @return the object given to {@link #context(Object)} */
    public Object context() {
        return context;
    }

    /**
     * Writes {@code src} (all of it, eventually). What the socket does not take now is copied into the
     * write queue, so the caller may reuse {@code src} when this returns.
     *
     * @param src bytes to write; its position advances to its limit
     * @return false when the queue reached the high watermark: stop writing until {@link #onDrain}
     * @throws IllegalStateException after {@link #end()}/{@link #close()}, or off the loop
     */
    public boolean write(ByteBuffer src) {
        checkWritable();
        return wire.write(src);
    }

    /**
     * Writes a buffer the caller will never modify again, without copying it: the queue keeps a view
     * of it. For bytes shared by many connections (a broadcast frame encoded once).
     *
     * @param shared bytes to write; read from a duplicate, so the caller's position is untouched
     * @return like {@link #write(ByteBuffer)}
     */
    public boolean writeShared(ByteBuffer shared) {
        checkWritable();
        return wire.writeShared(shared.duplicate());
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} with zero copy
     * ({@link FileChannel#transferTo}), after everything queued before it.
     *
     * @param file an open file; not closed by this call
     * @param position where to start
     * @param count how many bytes
     * @param onSent called on the loop when the region was fully handed to the socket, or with
     *     the failure (the connection is then closed); close the file there
     * @return like {@link #write(ByteBuffer)}
     */
    public boolean sendFile(FileChannel file, long position, long count, Consumer<Throwable> onSent) {
        checkWritable();
        return wire.sendFile(new FileRegion(file, position, count, onSent));
    }

    private void checkWritable() {
        checkLoop();
        if (wire.isEnding()) {
            throw new IllegalStateException("write after " + (isClosed() ? "close" : "end") + " on " + this);
        }
    }

    /** Stops reading (backpressure): no {@link #onData} until {@link #resume()}. */
    public void pause() {
        checkLoop();
        wire.pause();
    }

    /** Starts reading again after {@link #pause()}. */
    public void resume() {
        checkLoop();
        wire.resume();
    }

    /** @return whether reading is paused */
    public boolean isPaused() {
        return wire.isPaused();
    }

    /** Flushes what is queued, then half-closes our side (FIN). Reading goes on until the peer ends. */
    public void end() {
        checkLoop();
        wire.end();
    }

    /** Flushes what is queued, then closes. */
    public void close() {
        checkLoop();
        wire.close();
    }

    /** Closes now, dropping queued bytes. */
    public void destroy() {
        checkLoop();
        wire.closeNow(null);
    }

    /**
     * Closes now with {@code cause} reported to {@link #onClose}.
     *
     * @param cause why
     */
    public void destroy(Throwable cause) {
        checkLoop();
        wire.closeNow(cause);
    }

    /**
     * Asks the connection to finish because its server is closing gracefully: runs the
     * {@link #onShutdown} handler if one is set (a WebSocket sends 1001), else {@link #end()}.
     * Loop-confined. Servers call it; protocols that took a connection over (upgrades) get it from
     * the server that accepted it.
     */
    public void shutdown() {
        checkLoop();
        shutdownRequested();
    }

    void shutdownRequested() {
        if (isClosed()) {
            return;
        }
        handlers.shutdown();
    }

    /**
     * Closes the connection (with a {@link DeadlineExceededException} as cause) after {@code timeout}
     * without any read or write. {@link Duration#ZERO} disables it.
     *
     * @param timeout the idle limit
     */
    public void idleTimeout(Duration timeout) {
        checkLoop();
        if (!isClosed()) {
            idle.start(timeout);
        }
    }

    /** @return the name the watchdog and logs show: label and id */
    public String handlerName() {
        return handlers.label + "#" + id;
    }

    /** @return the owning loop */
    public EventLoop loop() {
        return loop;
    }

    /** @return what the TLS handshake agreed on, or null on a plaintext connection */
    public TlsInfo tls() {
        return wire.tlsInfo();
    }

    /** @return a process-unique id */
    public long id() {
        return id;
    }

    /** @return bytes queued and not yet written */
    public long queuedBytes() {
        return wire.queuedBytes();
    }

    /**
     * The largest {@link #queuedBytes()} this connection ever reached: what backpressure held its
     * write queue to. A producer that stops when {@link #write} returns false keeps it below the high
     * watermark plus one write. Loop-confined like the rest (elsewhere, read it via
     * {@code loop().execute}).
     *
     * @return the peak of queued bytes, since the connection opened
     */
    public long peakQueuedBytes() {
        return wire.peakQueuedBytes();
    }

    /** @return bytes read so far */
    public long bytesRead() {
        return wire.bytesRead();
    }

    /** @return bytes handed to the socket so far */
    public long bytesWritten() {
        return wire.bytesWritten();
    }

    /** @return whether {@link #onClose} has run or is running */
    public boolean isClosed() {
        return wire.isClosed();
    }

    /** @return whether the peer has half-closed */
    public boolean isReadEnded() {
        return wire.isReadEnded();
    }

    /** @return whether write() would be refused (after end or close) */
    public boolean isEnding() {
        return wire.isEnding();
    }

    /** @return the peer's address, or null once closed */
    public InetSocketAddress remoteAddress() {
        return wire.address(true);
    }

    /** @return our address, or null once closed */
    public InetSocketAddress localAddress() {
        return wire.address(false);
    }

    private void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException(this + " is confined to " + loop.name() + "; called from "
                    + Thread.currentThread().getName() + " (use loop().execute)");
        }
    }

    @Override
    public String toString() {
        return "Connection[" + handlerName() + (isClosed() ? ", closed" : "") + "]";
    }
}
