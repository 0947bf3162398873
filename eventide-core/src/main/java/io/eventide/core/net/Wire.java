package io.eventide.core.net;

import io.eventide.core.EventLoop;
import io.eventide.core.internal.io.Sock;
import io.eventide.core.internal.io.Transports;
import io.eventide.core.spi.IoHandler;
import io.eventide.core.tls.TlsInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;

/**
 * The socket side of a {@link Connection}: reads into the loop's buffer, writes through the
 * {@link WriteQueue}, keeps the selector interest in step with what is pending, and runs the
 * half-close and close sequence. The connection is the API and holds the handlers; this class
 * calls it back through {@link Events}.
 *
 * <pre>
 *   ready(OP_READ)  ─► read ≤ 4 × 64 KiB ─► events.data(buf)        peer FIN ─► events.ended()
 *   write(src)      ─► socket now, rest copied to the queue ─► OP_WRITE ─► flush ─► events.drained()
 *   end()           ─► flush, then shutdownOutput        close() ─► flush, then close
 * </pre>
 *
 * <p>With TLS ({@link #startTls}) a {@link TlsLayer} sits between the two: reads go through its
 * unwrap, the queue flushes into its wrap, and end/close send close_notify first.
 *
 * <p><b>Threading:</b> loop-confined, like its connection.
 */
final class Wire implements IoHandler, WriteQueue.Sink {
    /** Bytes one writable event may move before other connections get the loop (plain: memcpy-cheap). */
    private static final long FLUSH_BUDGET = 8L << 20;
    /** The same under TLS, where every byte is encrypted on the loop. */
    private static final long TLS_FLUSH_BUDGET = 512L << 10;
    /** What the wire tells its connection. */
    interface Events {
        /** @return false if the handler failed (the connection is then closing) */
        boolean data(ByteBuffer buf);

        void ended();

        void drained();

        void fileSent(FileRegion region);

        /** An I/O error: report it, then {@link Wire#closeNow}. */
        void failed(Throwable cause);

        /** The socket is closed; called once. */
        void closed(Throwable cause);

        /** A graceful close has only client connections left: finish, as if asked to shut down. */
        void shutdown();

        String name();
    }

    private final EventLoop loop;
    private final Sock channel;
    private final TcpOptions options;
    private final WriteQueue queue;
    private final IdleTimer idle;
    private final Events events;
    private int interest;
    private long bytesRead;
    private long bytesWritten;
    private boolean needDrain;
    private boolean paused;
    private boolean readEnded;
    private boolean ending;
    private boolean closeAfterFlush;
    private boolean outputShut;
    private boolean closed;
    private boolean held;
    private TlsLayer tls;
    private boolean client;
    private final ByteBuffer[] one = new ByteBuffer[1];

    Wire(EventLoop loop, Sock channel, TcpOptions options, IdleTimer idle, Events events) {
        this.loop = loop;
        this.channel = channel;
        this.options = options;
        this.idle = idle;
        this.events = events;
        this.queue = new WriteQueue(loop.buffers(), options.highWatermark());
    }

    void open(int ops) throws IOException {
        interest = ops;
        channel.register(Transports.poller(loop), ops, this);
    }

    void adopt(int ops) {
        client = true; // adopted from a connector: a client's connection
        interest = ops;
        channel.handOver(this, ops);
    }

    /** Puts TLS in front of the socket and starts the handshake. Right after open/adopt. */
    @Override
    public boolean isClient() {
        return client;
    }

    @Override
    public void othersFinished() {
        if (!closed) {
            events.shutdown();
        }
    }

    void startTls(SSLEngine engine, Duration timeout, TlsCounters counters, String host, Consumer<TlsInfo> ready) {
        tls = new TlsLayer(this, channel, engine, timeout, counters, host, ready);
        tls.begin();
    }

    EventLoop loop() {
        return loop;
    }

    boolean tlsStarted() {
        return tls != null;
    }

    TlsInfo tlsInfo() {
        return tls == null ? null : tls.info();
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    boolean write(ByteBuffer src) {
        if (!src.hasRemaining()) {
            return queue.bytes() < options.highWatermark();
        }
        if (queue.isEmpty()) {
            writeNow(src);
            if (closed) {
                src.position(src.limit());
                return false;
            }
        }
        queue.copy(src);
        return afterEnqueue();
    }

    boolean writeShared(ByteBuffer view) {
        if (queue.isEmpty()) {
            writeNow(view);
            if (closed) {
                return false;
            }
        }
        if (view.hasRemaining()) {
            queue.share(view);
        }
        return afterEnqueue();
    }

    boolean sendFile(FileRegion region) {
        queue.file(region);
        flush();
        return !closed && afterEnqueue();
    }

    private boolean afterEnqueue() {
        updateWriteInterest();
        if (queue.bytes() >= options.highWatermark()) {
            needDrain = true;
            return false;
        }
        return true;
    }

    private void writeNow(ByteBuffer src) {
        try {
            if (tls == null) {
                written(channel.write(src));
            } else {
                one[0] = src;
                tls.write(one, 1);
                one[0] = null;
            }
        } catch (IOException e) {
            events.failed(e);
        }
    }

    /** The queue's sink: the socket itself, gathering. */
    @Override
    public long write(ByteBuffer[] srcs, int length) throws IOException {
        long n = channel.write(srcs, 0, length);
        written(n);
        return n;
    }

    /** Zero copy from the page cache to the socket. */
    @Override
    public long transfer(FileChannel file, long position, long count) throws IOException {
        long n = channel.transferFrom(file, position, count);
        written(n);
        return n;
    }

    /** @param n bytes the socket took (ciphertext under TLS) */
    void wrote(long n) {
        written(n);
    }

    private void written(long n) {
        bytesWritten += n;
        if (n > 0) {
            idle.touch();
        }
    }

    private void flush() {
        try {
            if (tls != null) {
                tls.writable();
            }
            queue.flush(tls != null ? tls : this, events::fileSent, tls != null ? TLS_FLUSH_BUDGET : FLUSH_BUDGET);
        } catch (IOException e) {
            events.failed(e);
            return;
        }
        if (closed) {
            return;
        }
        updateWriteInterest();
        if (drained()) {
            if (closeAfterFlush) {
                if (closeNotifySent()) {
                    closeNow(null);
                }
                return;
            }
            if (ending && closeNotifySent()) {
                shutdownOutput();
            }
        }
        if (needDrain && queue.bytes() <= options.lowWatermark()) {
            needDrain = false;
            events.drained();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reading and flow control

    @Override
    public void ready(int ops) {
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

    /** Nothing queued and, under TLS, nothing wrapped but unsent. */
    private boolean drained() {
        return queue.isEmpty() && (tls == null || !tls.hasPendingCipher());
    }

    /** OP_WRITE while something can and must go out: not plaintext held during a handshake. */
    private void updateWriteInterest() {
        boolean want = tls == null ? !queue.isEmpty()
                : tls.hasPendingCipher() || (tls.isDone() && !queue.isEmpty());
        setInterest(want ? interest | SelectionKey.OP_WRITE : interest & ~SelectionKey.OP_WRITE);
    }

    /** Under TLS, close_notify goes out before FIN. @return whether the socket may be shut now */
    private boolean closeNotifySent() {
        if (tls == null || !tls.isDone()) {
            return true;
        }
        try {
            if (tls.closeOutbound()) {
                return true;
            }
        } catch (IOException e) {
            events.failed(e);
            return false;
        }
        updateWriteInterest();
        return false;
    }

    private void read() {
        ByteBuffer buf = loop.readBuffer();
        // A few reads per readiness event, then let other connections have the loop.
        for (int i = 0; i < 4 && !paused && !held && !closed && !readEnded; i++) {
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                events.failed(e);
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
            idle.touch();
            buf.flip();
            if (tls != null ? !tls.received(buf) : !events.data(buf)) {
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
        events.ended();
        if (closed) {
            return;
        }
        if (outputShut) {
            closeNow(null);
        } else if (!options.allowHalfOpen() && !ending) {
            end();
        }
    }

    void pause() {
        paused = true;
        setInterest(interest & ~SelectionKey.OP_READ);
    }

    void resume() {
        paused = false;
        if (!readEnded && !closed && !held) {
            setInterest(interest | SelectionKey.OP_READ);
        }
        if (tls != null && !closed && tls.hasStash()) {
            // Records decrypted-but-undelivered wait in the TLS layer; deliver them on a later turn
            // (resume is often called from inside a handler).
            loop.execute(tls::resumeInbound);
        }
    }

    boolean isPausedOrHeld() {
        return paused || held;
    }

    // ------------------------------------------------------------------------------------------
    // What the TLS layer tells the wire

    /** Reads held while the handshake runs delegated tasks on a worker. */
    void holdReads(boolean hold) {
        held = hold;
        if (hold) {
            setInterest(interest & ~SelectionKey.OP_READ);
        } else if (!paused && !readEnded && !closed) {
            setInterest(interest | SelectionKey.OP_READ);
        }
    }

    boolean plaintextArrived(ByteBuffer plain) {
        return events.data(plain);
    }

    void tlsPeerClosed() {
        peerEnded();
    }

    void tlsFailed(Throwable cause) {
        events.failed(cause);
    }

    /** The handshake finished: what the application queued meanwhile may go out. */
    void tlsReady() {
        if (!closed && !queue.isEmpty()) {
            flush();
        }
        if (!closed) {
            updateWriteInterest();
        }
    }

    private void setInterest(int ops) {
        if (ops != interest && !closed) {
            interest = ops;
            channel.interest(ops);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Closing

    void end() {
        if (ending || closed) {
            return;
        }
        ending = true;
        if (tls != null && !tls.isDone()) {
            closeNow(null); // mid-handshake: there is no session to end politely
        } else if (drained() && closeNotifySent()) {
            shutdownOutput();
        }
    }

    void close() {
        if (closed) {
            return;
        }
        ending = true;
        closeAfterFlush = true;
        if (tls != null && !tls.isDone()) {
            closeNow(null);
        } else if (drained() && closeNotifySent()) {
            closeNow(null);
        }
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
            events.failed(e);
        }
    }

    void closeNow(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        idle.stop();
        channel.close();
        queue.release(cause);
        if (tls != null) {
            tls.release();
        }
        events.closed(cause);
    }

    @Override
    public void forceClose() {
        closeNow(new io.eventide.core.EventideException("closed by force: the loop group's close deadline passed"));
    }

    @Override
    public String handlerName() {
        return events.name();
    }

    // ------------------------------------------------------------------------------------------
    // State

    boolean isClosed() {
        return closed;
    }

    boolean isPaused() {
        return paused;
    }

    boolean isReadEnded() {
        return readEnded;
    }

    boolean isEnding() {
        return ending || closed;
    }

    long queuedBytes() {
        return queue.bytes();
    }

    long peakQueuedBytes() {
        return queue.peak();
    }

    long bytesRead() {
        return bytesRead;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    InetSocketAddress address(boolean remote) {
        return remote ? channel.remoteAddress() : channel.localAddress();
    }
}
