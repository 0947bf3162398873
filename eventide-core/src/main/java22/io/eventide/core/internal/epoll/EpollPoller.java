package io.eventide.core.internal.epoll;

import static io.eventide.core.internal.epoll.Native.EVENT_DATA_OFFSET;
import static io.eventide.core.internal.epoll.Native.EVENT_SIZE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.eventide.core.internal.LoopStats;
import io.eventide.core.internal.io.Poller;
import io.eventide.core.internal.io.Sock;
import io.eventide.core.internal.io.WakeGate;
import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The epoll transport's {@link Poller}: one loop's epoll instance, edge-triggered, with an eventfd
 * for wake-ups.
 *
 * <p>Every socket is added once, for {@code EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET}, and never
 * modified: interest lives in Java. An event sets the socket's known readiness ({@link EpollSock});
 * a read or write that finds the socket empty or full clears it. The poller calls a handler with
 * {@code interest & readiness}, and when a handler returns with that still non-empty (it read
 * only part of what came, or was paused and is now resumed) the socket goes on a ready list that
 * the next poll serves without waiting. Handlers thus see a selector's level semantics, and the
 * kernel sees no {@code epoll_ctl} after the first: pausing, resuming and waiting to write cost no
 * system call.
 *
 * <p>Wake-ups follow the {@link WakeGate}: only the producer that finds the loop asleep writes the
 * eventfd, so a busy loop's producers cost one volatile read.
 *
 * <p><b>Threading:</b> loop-confined, except {@link #wakeup()} and the {@code open} methods (any
 * thread).
 */
public final class EpollPoller implements Poller {
    private static final System.Logger LOG = System.getLogger("io.eventide");
    private static final int MAX_EVENTS = 512;
    private static final long WAKE_DATA = -1L;
    private static final int SCRATCH_SIZE = 64 * 1024;
    private static final int ADDRESS_CACHE = 16;

    private final String loopName;
    private final LoopStats stats;
    private final WakeGate gate;
    private final Dispatch dispatch;
    /** Freed by the collector once the poller is gone: wakers on other threads may still hold it. */
    private final Arena arena = Arena.ofAuto();
    private final int epfd;
    private final int eventFd;
    private final MemorySegment events;
    private final MemorySegment ctlEvent;
    private final MemorySegment wakeValue;
    private final MemorySegment drain;
    /** errno of the loop thread's calls: every hot-path call runs there. */
    final MemorySegment errno;
    /** iovec array for gathering writes. */
    final MemorySegment iov;
    /** sendfile's in/out offset. */
    final MemorySegment fileOffset;
    /** Bounce buffer for sending files (pread, then write). */
    final java.nio.ByteBuffer scratch;
    /** The base addresses of the direct buffers this loop moved last (pooled, so mostly hits). */
    private final java.nio.ByteBuffer[] addressOf = new java.nio.ByteBuffer[ADDRESS_CACHE];
    private final long[] baseAddress = new long[ADDRESS_CACHE];
    private int nextAddress;
    /** Wakers writing the eventfd right now: close waits for them before closing it. */
    private final AtomicInteger wakers = new AtomicInteger();
    private EpollSock[] slots = new EpollSock[256];
    /** Bumped each time a slot is freed: an event for an earlier socket in that slot is stale. */
    private int[] slotGeneration = new int[256];
    private int[] free = new int[256];
    private int freeCount;
    private int nextSlot;
    private int registered;
    private EpollSock[] ready = new EpollSock[64];
    private int readyCount;
    private EpollSock[] serving = new EpollSock[64];
    /** Set at close; volatile for wakers on other threads, which must not write the eventfd after. */
    private volatile boolean closed;

    /**
     * @param loopName for messages
     * @param stats where idle time is recorded
     * @param hasTasks whether the loop's task queue holds work (read before sleeping)
     * @param dispatch called for every ready socket
     */
    public EpollPoller(String loopName, LoopStats stats, BooleanSupplier hasTasks, Dispatch dispatch) {
        this.loopName = loopName;
        this.stats = stats;
        this.gate = new WakeGate(hasTasks);
        this.dispatch = dispatch;
        this.errno = Native.errnoSegment(arena);
        this.events = arena.allocate(EVENT_SIZE * MAX_EVENTS, 8);
        this.ctlEvent = arena.allocate(16, 8);
        this.wakeValue = arena.allocate(JAVA_LONG);
        this.drain = arena.allocate(JAVA_LONG);
        this.iov = arena.allocate(16L * Native.IOV_MAX, 8);
        this.scratch = arena.allocate(SCRATCH_SIZE, 8).asByteBuffer();
        this.fileOffset = arena.allocate(JAVA_LONG);
        wakeValue.set(JAVA_LONG, 0, 1L);
        int ep = -1;
        int ev = -1;
        try {
            ep = (int) Native.EPOLL_CREATE1.invokeExact(errno, Native.EPOLL_CLOEXEC);
            if (ep < 0) {
                throw Native.exception(Native.errno(errno), "epoll_create1");
            }
            ev = (int) Native.EVENTFD.invokeExact(errno, 0, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
            if (ev < 0) {
                throw Native.exception(Native.errno(errno), "eventfd");
            }
            ctl(ep, ev, Native.EPOLLIN | Native.EPOLLET, WAKE_DATA);
        } catch (Throwable t) {
            if (ep >= 0) {
                EpollSock.closeFd(ep);
            }
            if (ev >= 0) {
                EpollSock.closeFd(ev);
            }
            throw t instanceof IOException e ? new UncheckedIOException("cannot open epoll for " + loopName, e)
                    : new IllegalStateException("cannot open epoll for " + loopName, t);
        }
        epfd = ep;
        eventFd = ev;
    }

    private void ctl(int ep, int fd, int flags, long data) throws IOException {
        if (Native.PACKED_EVENTS) {
            ctlEvent.set(JAVA_INT, 0, flags);
            ctlEvent.set(ValueLayout.JAVA_LONG_UNALIGNED, EVENT_DATA_OFFSET, data);
        } else {
            ctlEvent.set(JAVA_INT, 0, flags);
            ctlEvent.set(JAVA_LONG, EVENT_DATA_OFFSET, data);
        }
        int r;
        try {
            r = (int) Native.EPOLL_CTL.invokeExact(errno, ep, Native.EPOLL_CTL_ADD, fd, ctlEvent);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (r < 0) {
            throw Native.exception(Native.errno(errno), "epoll_ctl");
        }
    }

    /**
     * The address of a direct buffer's position, without allocating a segment for the buffers
     * this loop keeps using (its read buffer, pooled chunks). Loop thread.
     *
     * @param b a direct buffer
     * @return the native address of {@code b.position()}
     */
    long address(java.nio.ByteBuffer b) {
        for (int i = 0; i < ADDRESS_CACHE; i++) {
            if (addressOf[i] == b) {
                return baseAddress[i] + b.position();
            }
        }
        long at = MemorySegment.ofBuffer(b).address();
        int i = nextAddress;
        nextAddress = (i + 1) % ADDRESS_CACHE;
        addressOf[i] = b;
        baseAddress[i] = at - b.position();
        return at;
    }

    /** Adds a socket to the epoll set under a fresh slot. Loop thread. */
    void add(EpollSock s) throws IOException {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (nextSlot == slots.length) {
                slots = Arrays.copyOf(slots, slots.length * 2);
                slotGeneration = Arrays.copyOf(slotGeneration, slotGeneration.length * 2);
            }
            slot = nextSlot++;
        }
        int generation = slotGeneration[slot];
        try {
            ctl(epfd, s.fd, Native.EPOLLIN | Native.EPOLLOUT | Native.EPOLLRDHUP | Native.EPOLLET,
                    ((long) generation << 32) | slot);
        } catch (IOException | RuntimeException e) {
            free(slot);
            throw e;
        }
        s.slot = slot;
        s.generation = generation;
        slots[slot] = s;
        registered++;
    }

    /** Forgets a closing socket (close(2) itself takes it out of the epoll set). Loop thread. */
    void remove(EpollSock s) {
        if (s.slot >= 0 && slots[s.slot] == s) {
            slots[s.slot] = null;
            free(s.slot);
            registered--;
        }
        s.slot = -1;
    }

    private void free(int slot) {
        slotGeneration[slot]++;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
    }

    /** Puts a socket whose handler has work left on the ready list. Loop thread. */
    void schedule(EpollSock s) {
        if (s.scheduled || closed) {
            return;
        }
        s.scheduled = true;
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, ready.length * 2);
        }
        ready[readyCount++] = s;
    }

    /** Calls the socket's handler with what is both wanted and ready; reschedules if work is left. */
    void fire(EpollSock s) {
        int ops = s.readyOps();
        if (ops == 0) {
            return;
        }
        dispatch.ready(s.handler, ops);
        if (s.isOpen() && s.readyOps() != 0) {
            schedule(s);
        }
    }

    @Override
    public void poll(long timeoutNanos) {
        // The sockets left with work by the previous poll; whatever this poll's events leave goes
        // to the next one, so a busy socket gets one turn per poll, like every other.
        int carried = readyCount;
        if (carried > 0) {
            EpollSock[] batch = ready;
            ready = serving;
            serving = batch;
            readyCount = 0;
            timeoutNanos = 0;
        }
        int n;
        if (timeoutNanos == 0) {
            n = epollWait(0);
        } else {
            if (!gate.trySleep()) {
                n = epollWait(0);
            } else {
                stats.idleStart();
                n = epollWait((int) Math.min(Integer.MAX_VALUE, WakeGate.sleepMillis(timeoutNanos)));
                stats.idleEnd();
                gate.awake();
            }
        }
        for (int i = 0; i < n; i++) {
            long base = i * EVENT_SIZE;
            int flags = events.get(JAVA_INT, base);
            long data = Native.PACKED_EVENTS ? events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + EVENT_DATA_OFFSET)
                    : events.get(JAVA_LONG, base + EVENT_DATA_OFFSET);
            if (data == WAKE_DATA) {
                drainWakeups();
                continue;
            }
            int slot = (int) data;
            EpollSock s = slot < nextSlot ? slots[slot] : null;
            if (s == null || s.generation != (int) (data >>> 32)) {
                continue; // closed (and maybe its slot reused) earlier in this batch
            }
            if ((flags & (Native.EPOLLIN | Native.EPOLLRDHUP | Native.EPOLLHUP | Native.EPOLLERR)) != 0) {
                s.readable = true;
                if ((flags & (Native.EPOLLRDHUP | Native.EPOLLHUP | Native.EPOLLERR)) != 0) {
                    s.peerClosed = true;
                }
            }
            if ((flags & (Native.EPOLLOUT | Native.EPOLLHUP | Native.EPOLLERR)) != 0) {
                s.writable = true;
            }
            fire(s);
        }
        serveCarried(carried);
    }

    private int epollWait(int ms) {
        int n;
        try {
            n = (int) Native.EPOLL_WAIT.invokeExact(errno, epfd, events, MAX_EVENTS, ms);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (n < 0) {
            int e = Native.errno(errno);
            if (e != Native.EINTR) {
                LOG.log(Level.ERROR, "epoll_wait failed on loop " + loopName + ": " + Native.strerror(e));
            }
            return 0;
        }
        return n;
    }

    private void serveCarried(int n) {
        EpollSock[] batch = serving;
        for (int i = 0; i < n; i++) {
            EpollSock s = batch[i];
            batch[i] = null;
            s.scheduled = false;
            if (s.isOpen() && s.handler != null) {
                fire(s);
            }
        }
    }

    private void drainWakeups() {
        try {
            long r = (long) Native.READ.invokeExact(errno, eventFd, drain, 8L);
            assert r == 8 || r < 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void wakeup() {
        if (gate.claimWakeup()) {
            wakers.incrementAndGet();
            try {
                if (!closed) { // never write to a closed descriptor: its number may be reused
                    long r = (long) Native.WRITE_NO_ERRNO.invokeExact(eventFd, wakeValue, 8L);
                    assert r == 8 || r < 0; // a full counter (EAGAIN) has woken the loop already
                }
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                wakers.decrementAndGet();
            }
        }
    }

    @Override
    public int registered() {
        return registered;
    }

    @Override
    public List<IoHandler> handlers() {
        List<IoHandler> hs = new ArrayList<>(registered);
        for (int i = 0; i < nextSlot; i++) {
            if (slots[i] != null && slots[i].handler != null) {
                hs.add(slots[i].handler);
            }
        }
        return hs;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public int close() {
        int open = 0;
        for (int i = 0; i < nextSlot; i++) {
            EpollSock s = slots[i];
            if (s != null && s.isOpen()) {
                open++;
                s.close();
            }
        }
        closed = true;
        while (wakers.get() != 0) {
            // blocking-ok: at loop termination only, for a waker between its check of closed and
            // its eventfd write, which is one system call away from done.
            Thread.onSpinWait();
        }
        EpollSock.closeFd(eventFd);
        EpollSock.closeFd(epfd);
        return open;
    }

    @Override
    public Sock openStream(InetAddress remote) throws IOException {
        return EpollSock.open(this, remote instanceof Inet6Address ? Native.AF_INET6 : Native.AF_INET,
                Native.SOCK_STREAM);
    }

    @Override
    public Sock openDatagram(InetAddress remote) throws IOException {
        return EpollSock.open(this, remote instanceof Inet6Address ? Native.AF_INET6 : Native.AF_INET,
                Native.SOCK_DGRAM);
    }

    @Override
    public Sock listen(InetSocketAddress local, int backlog, boolean reusePort) throws IOException {
        return EpollSock.listen(this, local, backlog, reusePort);
    }

    @Override
    public String toString() {
        return "epoll:" + loopName;
    }
}
