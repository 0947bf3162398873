package io.eventide.core.internal.epoll;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.eventide.core.internal.io.Poller;
import io.eventide.core.internal.io.Sock;
import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;

/**
 * The epoll transport's {@link Sock}: a file descriptor and what this side knows of its readiness.
 *
 * <p>{@code readable} and {@code writable} are set by epoll's edge events and cleared when a call
 * finds the socket drained: a read that returns {@code EAGAIN}, or for a stream fewer bytes than
 * asked (whatever arrives later raises a new edge, unless the peer's FIN already came with this
 * one: then reading goes on to the end of stream); a write or accept that returns {@code EAGAIN}.
 * A short write leaves {@code writable} set, so the next flush tries once more and meets
 * {@code EAGAIN} before relying on the edge: the kernel raises {@code EPOLLOUT} only for a socket
 * that ran out of room.
 *
 * <p><b>Threading:</b> loop-confined once registered; opened on any thread.
 */
final class EpollSock implements Sock {
    private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int WRITE_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    final int fd;
    private final boolean stream;
    /** The poller whose errno segment hot calls use: the opener's, then the one registered with. */
    private EpollPoller poller;
    IoHandler handler;
    int slot = -1;
    int generation;
    boolean scheduled;
    boolean readable;
    boolean writable;
    /** EPOLLRDHUP, HUP or ERR seen: the end of stream (or an error) waits behind the data. */
    boolean peerClosed;
    private int interest;
    private boolean open = true;
    private InetSocketAddress local;
    /** Where connect() went (for messages, and a datagram socket's peer). */
    private InetSocketAddress remote;
    private InetSocketAddress peer;
    private boolean sendfileBroken;

    private EpollSock(EpollPoller poller, int fd, boolean stream) {
        this.poller = poller;
        this.fd = fd;
        this.stream = stream;
    }

    static EpollSock open(EpollPoller poller, int family, int type) throws IOException {
        return new EpollSock(poller, SocketCalls.socket(family, type), type == Native.SOCK_STREAM);
    }

    static EpollSock listen(EpollPoller poller, InetSocketAddress local, int backlog, boolean reusePort)
            throws IOException {
        if (local.getAddress() != null && local.getAddress().isAnyLocalAddress()
                && !(local.getAddress() instanceof Inet6Address)) {
            // 0.0.0.0: dual-stack [::] with IPV6_V6ONLY off, as the JDK binds it, so that IPv6
            // clients are served too; IPv4 only where the system has no IPv6.
            EpollSock s;
            try {
                s = open(poller, Native.AF_INET6, Native.SOCK_STREAM);
            } catch (IOException noIpv6) {
                return listenOn(open(poller, Native.AF_INET, Native.SOCK_STREAM), local, backlog, reusePort);
            }
            try {
                SocketCalls.setOption(s.fd, Native.IPPROTO_IPV6, Native.IPV6_V6ONLY, false);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            return listenOn(s, new InetSocketAddress(InetAddress.getByAddress(new byte[16]), local.getPort()), backlog,
                    reusePort);
        }
        return listenOn(open(poller, local.getAddress() instanceof Inet6Address ? Native.AF_INET6 : Native.AF_INET,
                Native.SOCK_STREAM), local, backlog, reusePort);
    }

    private static EpollSock listenOn(EpollSock s, InetSocketAddress local, int backlog, boolean reusePort)
            throws IOException {
        try {
            SocketCalls.bindAndListen(s.fd, local, backlog, reusePort);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    int readyOps() {
        return (readable ? interest & READ_OPS : 0) | (writable ? interest & WRITE_OPS : 0);
    }

    @Override
    public void register(Poller p, int ops, IoHandler h) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        poller = (EpollPoller) p;
        interest = ops;
        handler = h;
        poller.add(this);
    }

    @Override
    public void handOver(IoHandler h, int ops) {
        handler = h;
        interest(ops);
    }

    @Override
    public void interest(int ops) {
        interest = ops;
        if (open && slot >= 0 && readyOps() != 0) {
            poller.schedule(this); // e.g. resumed with bytes already waiting: no edge will come for them
        }
    }

    @Override
    public int interest() {
        return interest;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        if (want == 0) {
            return 0;
        }
        ensureOpen();
        MemorySegment err = poller.errno;
        while (true) {
            long n;
            try {
                n = dst.isDirect() ? (long) Native.READ_AT.invokeExact(err, fd, poller.address(dst), (long) want)
                        : (long) Native.READ.invokeExact(err, fd, MemorySegment.ofBuffer(dst), (long) want);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (n > 0) {
                dst.position(dst.position() + (int) n);
                if (stream && n < want && !peerClosed) {
                    // Drained: whatever comes next raises a new edge. Not after the peer's FIN,
                    // which came with the same edge and is read (as -1) only by reading on.
                    readable = false;
                }
                return (int) n;
            }
            if (n == 0) {
                return stream ? -1 : 0;
            }
            if (!again(Native.errno(err), true, "read")) {
                return 0;
            }
        }
    }

    /**
     * A call answered -1: EINTR asks for another try; EAGAIN clears the readiness it contradicts;
     * anything else is thrown, as the JDK's sockets throw it.
     *
     * @return true to call again, false if the socket has no more (EAGAIN)
     */
    private boolean again(int errno, boolean reading, String what) throws IOException {
        if (errno == Native.EINTR) {
            return true;
        }
        if (errno == Native.EAGAIN) {
            if (reading) {
                readable = false;
            } else {
                writable = false;
            }
            return false;
        }
        throw !stream && reading && errno == Native.ECONNREFUSED
                ? new PortUnreachableException("ICMP port unreachable") : Native.exception(errno, what);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int want = src.remaining();
        if (want == 0) {
            return 0;
        }
        ensureOpen();
        boolean direct = src.isDirect();
        long at = direct ? poller.address(src) : 0;
        MemorySegment heap = direct ? null : MemorySegment.ofBuffer(src);
        MemorySegment err = poller.errno;
        while (true) {
            long n;
            try {
                n = direct ? (long) Native.WRITE_AT.invokeExact(err, fd, at, (long) want)
                        : (long) Native.WRITE.invokeExact(err, fd, heap, (long) want);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (n >= 0) {
                src.position(src.position() + (int) n);
                return (int) n;
            }
            if (!again(Native.errno(err), false, "write")) {
                return 0;
            }
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ensureOpen();
        MemorySegment iov = poller.iov;
        int count = 0;
        long total = 0;
        for (int i = offset; i < offset + length && count < Native.IOV_MAX; i++) {
            ByteBuffer b = srcs[i];
            if (!b.isDirect()) {
                return count == 0 ? writeEach(srcs, offset, length) : gathered(srcs, offset, count, total);
            }
            int rem = b.remaining();
            if (rem == 0) {
                continue;
            }
            iov.set(JAVA_LONG, 16L * count, poller.address(b));
            iov.set(JAVA_LONG, 16L * count + 8, rem);
            count++;
            total += rem;
        }
        return count == 0 ? 0 : gathered(srcs, offset, count, total);
    }

    private long gathered(ByteBuffer[] srcs, int offset, int count, long total) throws IOException {
        MemorySegment err = poller.errno;
        long n;
        while (true) {
            try {
                n = (long) Native.WRITEV.invokeExact(err, fd, poller.iov, count);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (n >= 0) {
                break;
            }
            if (!again(Native.errno(err), false, "writev")) {
                return 0;
            }
        }
        long left = n;
        for (int i = offset; left > 0; i++) {
            ByteBuffer b = srcs[i];
            int step = (int) Math.min(left, b.remaining());
            b.position(b.position() + step);
            left -= step;
        }
        assert n <= total;
        return n;
    }

    /** Heap buffers cannot go in an iovec: write them one by one, stopping at a short write. */
    private long writeEach(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int want = srcs[i].remaining();
            int n = write(srcs[i]);
            total += n;
            if (n < want) {
                break;
            }
        }
        return total;
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        ensureOpen();
        int in = sendfileBroken ? -1 : FileDescriptors.of(file);
        if (in >= 0) {
            long n = sendfile(in, position, count);
            if (n >= 0) {
                return n;
            }
            sendfileBroken = true; // EINVAL/ENOSYS: this file or socket cannot; copy from now on
        }
        // The channel's descriptor is not ours to read (FileDescriptors): read into the loop's
        // bounce buffer and write that. Bytes read but not written are read again next time.
        ByteBuffer scratch = poller.scratch.clear();
        scratch.limit((int) Math.min(scratch.capacity(), count));
        int r = file.read(scratch, position);
        if (r <= 0) {
            return 0;
        }
        scratch.flip();
        return write(scratch);
    }

    private long sendfile(int in, long position, long count) throws IOException {
        MemorySegment err = poller.errno;
        MemorySegment offset = poller.fileOffset;
        while (true) {
            offset.set(JAVA_LONG, 0, position);
            long n;
            try {
                n = (long) Native.SENDFILE.invokeExact(err, fd, in, offset, Math.min(count, Integer.MAX_VALUE));
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (n >= 0) {
                return n;
            }
            int e = Native.errno(err);
            if (e == Native.EINVAL || e == Native.ENOSYS) {
                return -1;
            }
            if (!again(e, false, "sendfile")) {
                return 0;
            }
        }
    }

    @Override
    public boolean connect(InetSocketAddress to) throws IOException {
        ensureOpen();
        remote = to;
        return SocketCalls.connect(fd, to);
    }

    @Override
    public boolean finishConnect() throws IOException {
        ensureOpen();
        int e = SocketCalls.intOption(fd, Native.SOL_SOCKET, Native.SO_ERROR);
        if (e != 0) {
            throw Native.exception(e, "connect to " + remote);
        }
        peer = SocketCalls.address(fd, true);
        if (peer == null) {
            writable = false; // still connecting (a stale event said otherwise): wait for the real edge
            return false;
        }
        return true;
    }

    @Override
    public Sock accept() throws IOException {
        ensureOpen();
        MemorySegment err = poller.errno;
        while (true) {
            int c;
            try {
                c = (int) Native.ACCEPT4.invokeExact(err, fd, MemorySegment.NULL, MemorySegment.NULL,
                        Native.SOCK_NONBLOCK | Native.SOCK_CLOEXEC);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (c >= 0) {
                return new EpollSock(poller, c, true);
            }
            int e = Native.errno(err);
            if (e != Native.ECONNABORTED && !again(e, true, "accept")) {
                return null; // ECONNABORTED: that one went away while queued; take the next
            }
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        ensureOpen();
        SocketCalls.shutdownWrite(fd);
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (slot >= 0) {
            poller.remove(this);
        }
        closeFd(fd);
    }

    static void closeFd(int fd) {
        try {
            int r = (int) Native.CLOSE.invokeExact(fd);
            assert r == 0 || r == -1; // close(2) frees the descriptor even when it reports an error
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public InetSocketAddress localAddress() {
        if (!open) {
            return null; // as NIO: and the descriptor number may already be someone else's
        }
        if (local == null) {
            local = SocketCalls.address(fd, false);
        }
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        if (!open) {
            return null;
        }
        if (peer == null) {
            peer = SocketCalls.address(fd, true); // a connected peer never changes: asked once
        }
        return peer != null ? peer : stream ? null : remote;
    }

    @Override
    public void noDelay(boolean on) throws IOException {
        SocketCalls.setOption(fd, Native.IPPROTO_TCP, Native.TCP_NODELAY, on);
    }

    @Override
    public void keepAlive(boolean on) throws IOException {
        SocketCalls.setOption(fd, Native.SOL_SOCKET, Native.SO_KEEPALIVE, on);
    }

    private void ensureOpen() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    @Override
    public String toString() {
        return "epoll-socket:" + fd;
    }
}
