package io.eventide.core.net;

import io.eventide.core.BufferPool;
import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Timer;
import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
 * <p><b>Threading:</b> loop-confined: every method must be called on {@link #loop()}'s thread
 * (checked), and every callback runs there. To act from elsewhere use {@code loop().execute(...)}.
 */
public final class Connection implements IoHandler {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Runnable NOOP = () -> { };

    private final EventLoop loop;
    private final SocketChannel channel;
    private final TcpOptions options;
    private final long id = IDS.incrementAndGet();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final ConnectionListener owner;
    private SelectionKey key;
    private int interest;
    private ByteBuffer[] gather;

    private Consumer<ByteBuffer> onData = b -> b.position(b.limit());
    private Runnable onEnd = NOOP;
    private Runnable onDrain = NOOP;
    private Consumer<Throwable> onClose = t -> { };
    private Consumer<Throwable> onError;
    private Runnable onShutdown;
    private String label = "tcp";
    private Object context;

    private long queuedBytes;
    private long peakQueuedBytes;
    private long bytesRead;
    private long bytesWritten;
    private boolean needDrain;
    private boolean paused;
    private boolean readEnded;
    private boolean ending;
    private boolean closeAfterFlush;
    private boolean outputShut;
    private boolean closed;
    private long lastActivity;
    private Duration idleTimeout = Duration.ZERO;
    private Timer idleTimer;

    /** Called by servers and clients to report lifecycle to their owner. */
    interface ConnectionListener {
        void closed(Connection c);
    }

    Connection(EventLoop loop, SocketChannel channel, TcpOptions options, ConnectionListener owner) {
        this.loop = loop;
        this.channel = channel;
        this.options = options;
        this.owner = owner;
    }

    /** Registers with the loop and starts reading. Loop thread. */
    void open(int initialOps) throws IOException {
        interest = initialOps;
        key = loop.register(channel, initialOps, this);
        lastActivity = System.nanoTime();
        if (!options.idleTimeout().isZero()) {
            idleTimeout(options.idleTimeout());
        }
    }

    /** Takes over a key registered by a connector. Loop thread. */
    void adopt(SelectionKey k, int ops) {
        key = k;
        interest = ops;
        k.attach(this);
        k.interestOps(ops);
        lastActivity = System.nanoTime();
        if (!options.idleTimeout().isZero()) {
            idleTimeout(options.idleTimeout());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Handlers (single slot each, like Vert.x; set them before returning from the accept callback)

    /**
     * @param handler receives data; the buffer is the loop's read buffer, valid only during the
     *     call: consume it or copy what you keep
     * @return this connection
     */
    public Connection onData(Consumer<ByteBuffer> handler) {
        this.onData = Objects.requireNonNull(handler);
        return this;
    }

    /**
     * Delivers {@code data} to the current {@link #onData} handler as if it had just been read, for
     * protocol switches: bytes read by the old protocol past its last message (the first WebSocket
     * frames after an upgrade request) are handed to the new one. Loop-confined.
     *
     * @param data bytes to deliver; consumed like a read buffer
     */
    public void replay(ByteBuffer data) {
        checkLoop();
        if (closed || !data.hasRemaining()) {
            return;
        }
        try {
            onData.accept(data);
        } catch (Throwable t) {
            callbackFailed(t);
        }
    }

    /** @param handler called when the peer half-closes (FIN) @return this connection */
    public Connection onEnd(Runnable handler) {
        this.onEnd = Objects.requireNonNull(handler);
        return this;
    }

    /** @param handler called when the write queue drains below the low watermark @return this */
    public Connection onDrain(Runnable handler) {
        this.onDrain = Objects.requireNonNull(handler);
        return this;
    }

    /** @param handler called once when closed, with the cause or null @return this connection */
    public Connection onClose(Consumer<Throwable> handler) {
        this.onClose = Objects.requireNonNull(handler);
        return this;
    }

    /** @return the current close handler, for {@link Pipe} to chain rather than replace */
    Consumer<Throwable> closeHandler() {
        return onClose;
    }

    /** @param handler receives I/O errors and exceptions thrown by callbacks @return this */
    public Connection onError(Consumer<Throwable> handler) {
        this.onError = handler;
        return this;
    }

    /**
     * @param handler called when the loop group closes gracefully; default: {@link #end()}
     * @return this connection
     */
    public Connection onShutdown(Runnable handler) {
        this.onShutdown = handler;
        return this;
    }

    /** @param name shown by the watchdog and in logs, e.g. the protocol @return this */
    public Connection label(String name) {
        this.label = Objects.requireNonNull(name);
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

    // ------------------------------------------------------------------------------------------
    // Writing

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
        int len = src.remaining();
        if (len == 0) {
            return queuedBytes < options.highWatermark();
        }
        if (queue.isEmpty()) {
            writeDirect(src);
            if (closed) {
                src.position(src.limit());
                return false;
            }
        }
        if (src.hasRemaining()) {
            enqueueCopy(src);
        }
        return afterEnqueue();
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
        ByteBuffer view = shared.duplicate();
        if (queue.isEmpty()) {
            writeDirect(view);
            if (closed) {
                return false;
            }
        }
        if (view.hasRemaining()) {
            queue.addLast(new Shared(view));
            queuedBytes += view.remaining();
        }
        return afterEnqueue();
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
        queue.addLast(new FileRegion(file, position, count, onSent));
        queuedBytes += Math.min(count, options.highWatermark());
        if (queue.size() == 1) {
            flush();
        }
        return !closed && afterEnqueue();
    }

    private boolean afterEnqueue() {
        if (queuedBytes > peakQueuedBytes) {
            peakQueuedBytes = queuedBytes;
        }
        if (!queue.isEmpty()) {
            setInterest(interest | SelectionKey.OP_WRITE);
        }
        if (queuedBytes >= options.highWatermark()) {
            needDrain = true;
            return false;
        }
        return true;
    }

    private void checkWritable() {
        checkLoop();
        if (ending || closed) {
            throw new IllegalStateException("write after " + (closed ? "close" : "end") + " on " + this);
        }
    }

    private void writeDirect(ByteBuffer src) {
        try {
            int n = channel.write(src);
            bytesWritten += n;
            if (n > 0) {
                lastActivity = System.nanoTime();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void enqueueCopy(ByteBuffer src) {
        BufferPool pool = loop.buffers();
        while (src.hasRemaining()) {
            ByteBuffer tail = queue.peekLast() instanceof ByteBuffer b && b.limit() < b.capacity() ? b : null;
            if (tail == null) {
                tail = pool.acquire().flip(); // empty, in read mode
                queue.addLast(tail);
            }
            int pos = tail.position();
            tail.position(tail.limit()).limit(tail.capacity());
            int n = Math.min(tail.remaining(), src.remaining());
            tail.put(tail.position(), src, src.position(), n);
            src.position(src.position() + n);
            tail.limit(tail.position() + n).position(pos);
            queuedBytes += n;
        }
    }

    private void flush() {
        try {
            while (!queue.isEmpty()) {
                Object head = queue.peekFirst();
                boolean progressed = head instanceof FileRegion fr ? flushFile(fr) : flushBuffers();
                if (!progressed) {
                    break;
                }
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (closed) {
            return;
        }
        if (queue.isEmpty()) {
            setInterest(interest & ~SelectionKey.OP_WRITE);
            if (closeAfterFlush) {
                closeNow(null);
                return;
            }
            if (ending) {
                shutdownOutput();
            }
        }
        if (needDrain && queuedBytes <= options.lowWatermark()) {
            needDrain = false;
            callback(onDrain);
        }
    }

    /** @return whether the socket took everything offered (so the loop may continue). */
    private boolean flushBuffers() throws IOException {
        if (gather == null) {
            gather = new ByteBuffer[16];
        }
        int k = 0;
        for (Object o : queue) {
            if (k == gather.length || o instanceof FileRegion) {
                break;
            }
            gather[k++] = o instanceof Shared s ? s.view() : (ByteBuffer) o;
        }
        long n = channel.write(gather, 0, k);
        bytesWritten += n;
        queuedBytes -= n;
        if (n > 0) {
            lastActivity = System.nanoTime();
        }
        boolean all = true;
        for (int i = 0; i < k; i++) {
            ByteBuffer b = gather[i];
            gather[i] = null;
            if (b.hasRemaining()) {
                all = false;
                continue;
            }
            Object o = queue.pollFirst();
            if (o instanceof ByteBuffer pooled) {
                loop.buffers().release(pooled);
            }
        }
        return all;
    }

    private boolean flushFile(FileRegion fr) throws IOException {
        long before = Math.min(fr.remaining(), options.highWatermark());
        long n;
        try {
            n = fr.file().transferTo(fr.position(), fr.remaining(), channel);
        } catch (IOException e) {
            queue.pollFirst();
            queuedBytes -= before;
            fr.onSent().accept(e);
            throw e;
        }
        fr.advance(n);
        bytesWritten += n;
        if (n > 0) {
            lastActivity = System.nanoTime();
        }
        queuedBytes -= before - Math.min(fr.remaining(), options.highWatermark());
        if (fr.remaining() > 0) {
            if (n == 0 && fr.position() >= fr.file().size()) {
                throw new java.io.EOFException("file ended " + fr.remaining() + " bytes before the region did");
            }
            return false; // socket full: wait for OP_WRITE
        }
        queue.pollFirst();
        callback(() -> fr.onSent().accept(null));
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Reading and flow control

    @Override
    public void ready(SelectionKey k, int ops) {
        if ((ops & SelectionKey.OP_CONNECT) != 0) {
            return; // handled by TcpClient's connector, which owns the key until connected
        }
        if ((ops & SelectionKey.OP_WRITE) != 0 && !closed) {
            flush();
        }
        if ((ops & SelectionKey.OP_READ) != 0 && !closed) {
            read();
        }
    }

    private void read() {
        ByteBuffer buf = loop.readBuffer();
        // A few reads per readiness event, then let other connections have the loop.
        for (int i = 0; i < 4 && !paused && !closed && !readEnded; i++) {
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (n < 0) {
                peerEnded();
                return;
            }
            if (n == 0) {
                return;
            }
            bytesRead += n;
            lastActivity = System.nanoTime();
            buf.flip();
            try {
                onData.accept(buf);
            } catch (Throwable t) {
                callbackFailed(t);
                return;
            }
            boolean full = n == buf.capacity();
            buf.clear();
            if (!full) {
                return;
            }
        }
    }

    private void peerEnded() {
        readEnded = true;
        setInterest(interest & ~SelectionKey.OP_READ);
        callback(onEnd);
        if (closed) {
            return;
        }
        if (outputShut) {
            closeNow(null);
        } else if (!options.allowHalfOpen() && !ending) {
            end();
        }
    }

    /** Stops reading (backpressure): no {@link #onData} until {@link #resume()}. */
    public void pause() {
        checkLoop();
        paused = true;
        setInterest(interest & ~SelectionKey.OP_READ);
    }

    /** Starts reading again after {@link #pause()}. */
    public void resume() {
        checkLoop();
        paused = false;
        if (!readEnded && !closed) {
            setInterest(interest | SelectionKey.OP_READ);
        }
    }

    /** @return whether reading is paused */
    public boolean isPaused() {
        return paused;
    }

    private void setInterest(int ops) {
        if (ops != interest && !closed) {
            interest = ops;
            if (key.isValid()) {
                key.interestOps(ops);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Closing

    /** Flushes what is queued, then half-closes our side (FIN). Reading goes on until the peer ends. */
    public void end() {
        checkLoop();
        if (ending || closed) {
            return;
        }
        ending = true;
        if (queue.isEmpty()) {
            shutdownOutput();
        }
    }

    /** Flushes what is queued, then closes. */
    public void close() {
        checkLoop();
        if (closed) {
            return;
        }
        ending = true;
        if (queue.isEmpty()) {
            closeNow(null);
        } else {
            closeAfterFlush = true;
        }
    }

    /** Closes now, dropping queued bytes. */
    public void destroy() {
        checkLoop();
        closeNow(null);
    }

    /**
     * Closes now with {@code cause} reported to {@link #onClose}.
     *
     * @param cause why
     */
    public void destroy(Throwable cause) {
        checkLoop();
        closeNow(cause);
    }

    private void shutdownOutput() {
        if (outputShut || closed) {
            return;
        }
        outputShut = true;
        if (readEnded) {
            closeNow(null);
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(Throwable e) {
        if (closed) {
            return;
        }
        if (onError != null) {
            try {
                onError.accept(e);
            } catch (Throwable t) {
                loop.reportUncaught(t);
            }
        }
        closeNow(e);
    }

    private void callbackFailed(Throwable t) {
        if (t instanceof VirtualMachineError vme) {
            throw vme;
        }
        if (onError == null) {
            loop.reportUncaught(new EventideException("callback of " + handlerName() + " threw; closing it", t));
        }
        fail(t);
    }

    private void callback(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            callbackFailed(t);
        }
    }

    private void closeNow(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // The socket is gone either way; a failing close has nothing left to tell the peer.
        }
        releaseQueue(cause);
        owner.closed(this);
        try {
            onClose.accept(cause);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            loop.reportUncaught(t);
        }
    }

    private void releaseQueue(Throwable cause) {
        Object o;
        while ((o = queue.pollFirst()) != null) {
            if (o instanceof ByteBuffer pooled) {
                loop.buffers().release(pooled);
            } else if (o instanceof FileRegion fr) {
                fr.onSent().accept(cause != null ? cause : new EventideException("connection closed before the file was sent"));
            }
        }
        queuedBytes = 0;
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
        if (closed) {
            return;
        }
        if (onShutdown != null) {
            callback(onShutdown);
        } else {
            end();
        }
    }

    @Override
    public void forceClose() {
        closeNow(new EventideException("closed by force: the loop group's close deadline passed"));
    }

    @Override
    public String handlerName() {
        return label + "#" + id;
    }

    // ------------------------------------------------------------------------------------------
    // Idle timeout: one timer per connection, re-armed lazily from lastActivity (no timer churn
    // per read or write, the way Netty's IdleStateHandler does it).

    /**
     * Closes the connection (with a {@link DeadlineExceededException} as cause) after {@code timeout}
     * without any read or write. {@link Duration#ZERO} disables it.
     *
     * @param timeout the idle limit
     */
    public void idleTimeout(Duration timeout) {
        checkLoop();
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        idleTimeout = timeout;
        if (!timeout.isZero() && !closed) {
            lastActivity = System.nanoTime();
            idleTimer = loop.setTimeout(timeout, this::idleCheck);
        }
    }

    private void idleCheck() {
        if (closed) {
            return;
        }
        long idleFor = System.nanoTime() - lastActivity;
        long limit = idleTimeout.toNanos();
        if (idleFor >= limit) {
            fail(new DeadlineExceededException("idle for more than " + idleTimeout.toMillis() + " ms (idle-timeout)"));
        } else {
            idleTimer = loop.setTimeout(Duration.ofNanos(limit - idleFor), this::idleCheck);
        }
    }

    // ------------------------------------------------------------------------------------------
    // State

    /** @return the owning loop */
    public EventLoop loop() {
        return loop;
    }

    /** @return a process-unique id */
    public long id() {
        return id;
    }

    /** @return bytes queued and not yet written */
    public long queuedBytes() {
        return queuedBytes;
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
        return peakQueuedBytes;
    }

    /** @return bytes read so far */
    public long bytesRead() {
        return bytesRead;
    }

    /** @return bytes handed to the socket so far */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** @return whether {@link #onClose} has run or is running */
    public boolean isClosed() {
        return closed;
    }

    /** @return whether the peer has half-closed */
    public boolean isReadEnded() {
        return readEnded;
    }

    /** @return whether write() would be refused (after end or close) */
    public boolean isEnding() {
        return ending || closed;
    }

    /** @return the peer's address, or null once closed */
    public InetSocketAddress remoteAddress() {
        return address(true);
    }

    /** @return our address, or null once closed */
    public InetSocketAddress localAddress() {
        return address(false);
    }

    private InetSocketAddress address(boolean remote) {
        try {
            SocketAddress a = remote ? channel.getRemoteAddress() : channel.getLocalAddress();
            return (InetSocketAddress) a;
        } catch (IOException e) {
            return null;
        }
    }

    SocketChannel channel() {
        return channel;
    }

    private void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException(this + " is confined to " + loop.name() + "; called from "
                    + Thread.currentThread().getName() + " (use loop().execute)");
        }
    }

    @Override
    public String toString() {
        return "Connection[" + handlerName() + (closed ? ", closed" : "") + "]";
    }

    /** A queued buffer owned by the caller (not pooled: never released). */
    private record Shared(ByteBuffer view) {
    }
}
