package io.eventide.core.net;

import io.eventide.core.BufferPool;
import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.OverloadException;
import io.eventide.core.Timer;
import io.eventide.core.internal.io.Sock;
import io.eventide.core.tls.TlsException;
import io.eventide.core.tls.TlsInfo;
import io.eventide.core.tls.internal.SniKeyManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS between a {@link Wire} and its socket, driven by an {@link SSLEngine} on the loop. The wire
 * hands it what it read ({@link #received}) and uses it as its write queue's sink ({@link #write},
 * {@link #transfer}); the connection above only ever sees plaintext.
 *
 * <pre>
 *   socket ─read─► [netIn: partial record] ─unwrap─► app buffer (large pool) ─► onData
 *   queue  ─────────────────────────────── wrap ─► cipher (large pool, ≤ 1 pending) ─► socket
 *   file region ─read 16 KiB─► wrap ─► cipher ─► socket          (no transferTo under TLS)
 * </pre>
 *
 * <p>Handshake: every step the engine asks for is taken as soon as it can be: NEED_WRAP writes,
 * NEED_UNWRAP waits for bytes, NEED_TASK runs the engine's delegated tasks on a worker
 * ({@link EventLoop#offload}; inline when the worker queue is full, rather than fail a handshake the
 * client did nothing wrong in) with reads held, and resumes on the loop. A handshake not finished
 * within the timeout closes the connection. Once finished, {@code onHandshake} gets a
 * {@link TlsInfo}. After that a TLS 1.2 peer asking for a new handshake (renegotiation) is refused
 * with a close; TLS 1.3 post-handshake messages (tickets, key updates) are handled.
 *
 * <p>Memory: a connection holds at most one pending cipher buffer (when the socket is full) and a
 * partial-record buffer sized to the record being assembled (when a read ended mid-record); the
 * unwrap output is borrowed per read. An idle TLS connection holds neither.
 *
 * <p><b>Threading:</b> loop-confined, like its connection; delegated tasks run on a worker and
 * touch only the engine, which does not run anything else meanwhile.
 */
final class TlsLayer implements WriteQueue.Sink {
    private static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE_RECORD = 22;
    private static final int FILE_CHUNK = 16 * 1024;

    private final EventLoop loop;
    private final Sock channel;
    private final SSLEngine engine;
    private final Wire wire;
    private final TlsCounters counters;
    private final boolean client;
    private final String host;
    private final Consumer<TlsInfo> onHandshake;
    private final BufferPool large;
    private final Timer deadline;
    private ByteBuffer netIn;
    private ByteBuffer cipher;
    private ByteBuffer[] single = new ByteBuffer[1];
    private boolean tasksRunning;
    private boolean done;
    private boolean sawBytes;
    private boolean outboundClosed;
    private boolean inboundClosed;
    private long written;
    private TlsInfo info;
    // Buffer sizes the engine needs per record, read once the handshake is done (renegotiation,
    // the only thing that could change them, is refused); the session's getters take a lock.
    private int appSize = 32 * 1024;
    private int packetSize = 32 * 1024;
    private boolean tls12;

    TlsLayer(Wire wire, Sock channel, SSLEngine engine, Duration handshakeTimeout, TlsCounters counters,
            String host, Consumer<TlsInfo> onHandshake) {
        this.wire = wire;
        this.loop = wire.loop();
        this.channel = channel;
        this.engine = engine;
        this.counters = counters;
        this.client = engine.getUseClientMode();
        this.host = host;
        this.onHandshake = onHandshake;
        this.large = loop.largeBuffers();
        this.deadline = loop.setTimeout(handshakeTimeout, () -> timedOut(handshakeTimeout));
    }

    /** Starts the handshake (a client's first flight; a server only waits for the ClientHello). */
    void begin() {
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            failHandshake(e);
            return;
        }
        step(engine.getHandshakeStatus());
    }

    boolean isDone() {
        return done;
    }

    TlsInfo info() {
        return info;
    }

    // ------------------------------------------------------------------------------------------
    // Inbound

    /**
     * Bytes read from the socket.
     *
     * @param net the loop's read buffer, in read mode; consumed or copied here
     * @return false when reading should stop (closed, or held)
     */
    boolean received(ByteBuffer net) {
        if (!sawBytes && net.hasRemaining()) {
            sawBytes = true;
            if (!client && net.get(net.position()) != HANDSHAKE_RECORD) {
                plaintext();
                return false;
            }
        }
        if (netIn != null && netIn.position() > 0) {
            stash(net);
            ByteBuffer in = netIn.flip();
            boolean more = unwrap(in);
            if (netIn == in) {
                keepRest(in, true);
            }
            return more;
        }
        boolean more = unwrap(net);
        if (!wire.isClosed()) {
            keepRest(net, false);
        }
        return more;
    }

    /** Unwraps what is in {@code in} until it runs dry, the handshake waits, or the connection ends. */
    private boolean unwrap(ByteBuffer in) {
        ByteBuffer app = large.acquire();
        try {
            while (!wire.isClosed() && !tasksRunning && !wire.isPaused() && in.hasRemaining()) {
                SSLEngineResult r;
                try {
                    r = engine.unwrap(in, app);
                } catch (SSLException e) {
                    deliver(app);
                    if (done) {
                        wire.tlsFailed(new TlsException("TLS record rejected: " + e.getMessage(), e));
                    } else {
                        failHandshake(e);
                    }
                    return false;
                }
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    if (!deliver(app)) {
                        return false;
                    }
                    continue;
                }
                if (r.getStatus() == Status.CLOSED) {
                    deliver(app);
                    inboundClosed = true;
                    wire.tlsPeerClosed(); // close_notify: the peer's clean end of stream
                    return false;
                }
                boolean wasDone = done;
                if (!step(r.getHandshakeStatus())) {
                    deliver(app);
                    return false;
                }
                if (!wasDone && done && client) {
                    // Let the promise reactions install the handlers before any data: resume later.
                    loop.execute(this::resumeInbound);
                    return false;
                }
                if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (app.remaining() < appSize && !deliver(app)) {
                    return false;
                }
            }
            return deliver(app) && !tasksRunning;
        } finally {
            large.release(app);
        }
    }

    private boolean deliver(ByteBuffer app) {
        if (app.position() == 0 || wire.isClosed()) {
            app.clear();
            return !wire.isClosed();
        }
        app.flip();
        boolean ok = wire.plaintextArrived(app);
        app.clear();
        return ok;
    }

    /** @return whether records read but not yet delivered wait here */
    boolean hasStash() {
        return netIn != null && netIn.position() > 0;
    }

    /** Runs on a later turn: bytes kept while reading was paused, or that came with the handshake's end. */
    void resumeInbound() {
        if (wire.isClosed() || wire.isPaused() || tasksRunning || !hasStash()) {
            return;
        }
        ByteBuffer in = netIn.flip();
        unwrap(in);
        if (netIn == in) {
            keepRest(in, true);
        }
    }

    /** Appends {@code more} to the partial-record buffer, growing it to what the records need. */
    private void stash(ByteBuffer more) {
        int need = netIn.position() + more.remaining();
        if (need > netIn.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, recordSize(netIn)));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(more);
    }

    /** Keeps what {@code in} did not consume (a partial record) for the next read. */
    private void keepRest(ByteBuffer in, boolean isNetIn) {
        if (!in.hasRemaining()) {
            if (isNetIn || netIn != null) {
                netIn = null; // an idle connection holds no buffer
            }
            return;
        }
        if (isNetIn) {
            in.compact();
            return;
        }
        netIn = ByteBuffer.allocate(Math.max(in.remaining(), recordSize(in)));
        netIn.put(in);
    }

    /** The size of the record starting at {@code buf}'s position, from its header, or a header's. */
    private static int recordSize(ByteBuffer buf) {
        int p = buf.position();
        if (buf.limit() - p < RECORD_HEADER) {
            return RECORD_HEADER;
        }
        return RECORD_HEADER + ((buf.get(p + 3) & 0xFF) << 8 | (buf.get(p + 4) & 0xFF));
    }

    // ------------------------------------------------------------------------------------------
    // Handshake

    /** Takes the step the engine asks for. @return false if the connection closed */
    private boolean step(HandshakeStatus hs) {
        while (true) {
            switch (hs) {
                case NEED_TASK -> {
                    if (refuseRenegotiation()) {
                        return false;
                    }
                    runTasks();
                    return true;
                }
                case NEED_WRAP -> {
                    if (refuseRenegotiation()) {
                        return false;
                    }
                    hs = wrapHandshake();
                    if (hs == null) {
                        return !wire.isClosed();
                    }
                }
                case FINISHED -> {
                    finished();
                    return !wire.isClosed();
                }
                case NOT_HANDSHAKING -> {
                    return true;
                }
                default -> {
                    return true; // NEED_UNWRAP: wait for bytes
                }
            }
        }
    }

    /** @return the next status, or null when the socket is full or the connection closed */
    private HandshakeStatus wrapHandshake() {
        try {
            if (!flushCipher()) {
                return null;
            }
            cipher = large.acquire();
            SSLEngineResult r = engine.wrap(Empty.BUFFERS, cipher);
            cipher.flip();
            if (!flushCipher()) {
                return null;
            }
            if (r.getStatus() == Status.CLOSED) {
                return null;
            }
            return r.getHandshakeStatus();
        } catch (IOException e) {
            failHandshake(e);
            return null;
        }
    }

    private boolean refuseRenegotiation() {
        if (done && tls12) {
            wire.tlsFailed(new TlsException("TLS renegotiation refused"));
            return true;
        }
        return false;
    }

    private void runTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        Runnable t;
        while ((t = engine.getDelegatedTask()) != null) {
            tasks.add(t);
        }
        tasksRunning = true;
        wire.holdReads(true);
        loop.offload(() -> {
            tasks.forEach(Runnable::run);
            return null;
        }).whenComplete((v, e) -> {
            if (e instanceof OverloadException) {
                tasks.forEach(Runnable::run); // the worker queue is full: do it here rather than fail
            }
            tasksRunning = false;
            if (wire.isClosed()) {
                return;
            }
            wire.holdReads(false);
            if (step(engine.getHandshakeStatus()) && !tasksRunning && netIn != null && netIn.position() > 0) {
                resumeInbound();
            }
        });
    }

    private void finished() {
        if (done) {
            return;
        }
        done = true;
        deadline.cancel();
        info = describe();
        appSize = info.session().getApplicationBufferSize();
        packetSize = info.session().getPacketBufferSize();
        tls12 = "TLSv1.2".equals(info.protocol());
        counters.handshake();
        onHandshake.accept(info);
        wire.tlsReady();
    }

    private TlsInfo describe() {
        var session = engine.getSession();
        List<java.security.cert.Certificate> peer;
        try {
            peer = List.of(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            peer = List.of(); // a client without a certificate: nothing to show
        }
        String alpn = engine.getApplicationProtocol();
        String sni = client ? host : SniKeyManager.requestedHost(session);
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), alpn == null ? "" : alpn, sni, peer,
                session);
    }

    private void timedOut(Duration limit) {
        if (!done && !wire.isClosed()) {
            counters.timeout();
            wire.tlsFailed(new DeadlineExceededException("TLS handshake not done within handshake-timeout ("
                    + limit.toMillis() + " ms)"));
        }
    }

    private void plaintext() {
        counters.plaintext();
        // No alert: a plaintext client could not read one. Close cleanly, say why.
        wire.tlsFailed(new TlsException("plaintext received on a TLS port; closed"));
    }

    private void failHandshake(Exception e) {
        counters.failure();
        sendAlert();
        wire.tlsFailed(new TlsException("TLS handshake failed: " + e.getMessage(), e));
    }

    /** After a failure the engine may hold an alert for the peer; send it if the socket takes it. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            if (cipher == null) {
                cipher = large.acquire();
                engine.wrap(Empty.BUFFERS, cipher);
                cipher.flip();
            }
            flushCipher();
        } catch (IOException e) {
            // Best effort: the connection is failing anyway.
        }
    }

    // ------------------------------------------------------------------------------------------
    // Outbound

    /** @return whether everything wrapped so far reached the socket */
    boolean flushCipher() throws IOException {
        if (cipher == null) {
            return true;
        }
        long n = channel.write(cipher);
        written += n;
        wire.wrote(n);
        if (cipher.hasRemaining()) {
            return false;
        }
        large.release(cipher);
        cipher = null;
        return true;
    }

    boolean hasPendingCipher() {
        return cipher != null;
    }

    /** Called when the socket is writable again: finish what was pending, go on with the handshake. */
    void writable() throws IOException {
        if (flushCipher() && !done && !tasksRunning) {
            step(engine.getHandshakeStatus());
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int length) throws IOException {
        if (!done || !flushCipher()) {
            return 0;
        }
        long consumed = 0;
        cipher = large.acquire();
        while (cipher.remaining() >= packetSize && remaining(srcs, length)) {
            SSLEngineResult r = engine.wrap(srcs, 0, length, cipher);
            consumed += r.bytesConsumed();
            if (r.getStatus() != Status.OK) {
                break;
            }
        }
        cipher.flip();
        flushCipher();
        return consumed;
    }

    @Override
    public long transfer(FileChannel file, long position, long count) throws IOException {
        if (!done || !flushCipher()) {
            return 0;
        }
        ByteBuffer plain = loop.buffers().acquire();
        try {
            plain.limit((int) Math.min(Math.min(FILE_CHUNK, plain.capacity()), count));
            int n = file.read(plain, position); // page cache, like transferTo's read side
            if (n <= 0) {
                return 0;
            }
            plain.flip();
            single[0] = plain;
            long taken = write(single, 1);
            single[0] = null;
            return taken;
        } finally {
            loop.buffers().release(plain);
        }
    }

    private static boolean remaining(ByteBuffer[] srcs, int length) {
        for (int i = 0; i < length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Queues close_notify. @return whether it reached the socket */
    boolean closeOutbound() throws IOException {
        if (!outboundClosed) {
            outboundClosed = true;
            engine.closeOutbound();
            if (done && flushCipher()) {
                cipher = large.acquire();
                engine.wrap(Empty.BUFFERS, cipher);
                cipher.flip();
            }
        }
        return flushCipher();
    }

    /** The connection closed: give the buffers back, stop the timer. */
    void release() {
        deadline.cancel();
        if (cipher != null) {
            large.release(cipher);
            cipher = null;
        }
        netIn = null;
        if (!inboundClosed && !done) {
            engine.closeOutbound();
        }
    }

    long bytesWritten() {
        return written;
    }

    /** The empty source array wrap needs for handshake and close messages. */
    private static final class Empty {
        static final ByteBuffer[] BUFFERS = {ByteBuffer.allocate(0)};
    }
}
