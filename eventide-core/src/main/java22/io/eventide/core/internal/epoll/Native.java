package io.eventide.core.internal.epoll;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * The Linux system calls of the epoll transport, bound once through the Foreign Function &amp;
 * Memory API, with the constants and structure layouts they need (x86-64 and AArch64, where the
 * generic Linux values apply).
 *
 * <p>Calls on a loop's hot path (read, write, writev, accept4, epoll_ctl) are linked
 * {@linkplain Linker.Option#critical(boolean) critical}: on a non-blocking socket they return at
 * once, so the JVM skips the thread-state transition, and read and write may take heap buffers
 * directly. {@code epoll_wait}, which sleeps, is linked normally. Every call that can fail captures
 * {@code errno} into a segment its caller passes first.
 *
 * <p><b>Threading:</b> stateless; any thread, each with its own errno segment.
 */
@SuppressWarnings("restricted")
final class Native {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_ERROR = 4;
    static final int SO_KEEPALIVE = 9;
    static final int SO_REUSEPORT = 15;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int SHUT_WR = 1;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EINTR = 4;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int EAGAIN = 11;
    static final int EPIPE = 32;
    static final int EADDRINUSE = 98;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int ENOTCONN = 107;
    static final int ECONNREFUSED = 111;
    static final int EINPROGRESS = 115;

    /** struct epoll_event: packed (12 bytes) on x86-64, naturally aligned (16) elsewhere. */
    static final boolean PACKED_EVENTS = !System.getProperty("os.arch", "").equals("aarch64");
    static final long EVENT_SIZE = PACKED_EVENTS ? 12 : 16;
    static final long EVENT_DATA_OFFSET = PACKED_EVENTS ? 4 : 8;
    static final int SOCKADDR_MAX = 28;
    static final int IOV_MAX = 1024;
    static final ValueLayout.OfShort SHORT_BE = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(PathElement.groupElement("errno"));

    static final MethodHandle READ = bind("read", true, FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle WRITE = bind("write", true, FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /** read and write taking a raw address (a long: the same register as a pointer on x86-64 and
     *  AArch64), for direct buffers whose address is known: no segment to allocate per call. */
    static final MethodHandle READ_AT = bind("read", true, FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    static final MethodHandle WRITE_AT = bind("write", true, FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** sendfile(out, in, off_t *offset, count): the offset is passed and advanced by the kernel.
     *  Not critical: a file not in the page cache makes it wait for the disk, and a critical call
     *  would hold every other thread's safepoint (GC) for that long. */
    static final MethodHandle SENDFILE = bind("sendfile", false,
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle WRITEV = bind("writev", true, FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle ACCEPT4 = bind("accept4", true,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle EPOLL_CTL = bind("epoll_ctl", true,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle EPOLL_WAIT = bind("epoll_wait", false,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", false, FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle EVENTFD = bind("eventfd", false, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle SOCKET = bind("socket", false, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle BIND = bind("bind", false, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle LISTEN = bind("listen", false, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle CONNECT = bind("connect", false, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle SHUTDOWN = bind("shutdown", false, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle GETSOCKOPT = bind("getsockopt", false,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle SETSOCKOPT = bind("setsockopt", false,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle GETSOCKNAME = bind("getsockname", false,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle GETPEERNAME = bind("getpeername", false,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    /** close(2) and a wake-up write need no errno: they are bound without capture. */
    static final MethodHandle CLOSE = LINKER.downcallHandle(find("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle WRITE_NO_ERRNO = LINKER.downcallHandle(find("write"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Native() {
    }

    private static MemorySegment find(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("the C library has no " + name));
    }

    private static MethodHandle bind(String name, boolean critical, FunctionDescriptor fd) {
        Linker.Option errno = Linker.Option.captureCallState("errno");
        return critical
                ? LINKER.downcallHandle(find(name), fd, Linker.Option.critical(true), errno)
                : LINKER.downcallHandle(find(name), fd, errno);
    }

    /** @return a segment that receives errno, from {@code arena} */
    static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** @return the errno the last call captured into {@code capture} */
    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** @return the C library's text for {@code errno} */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /**
     * @param errno what failed
     * @param what the operation, for the message
     * @return the exception the JDK's own sockets throw for it
     */
    static IOException exception(int errno, String what) {
        return switch (errno) {
            case ECONNREFUSED -> new ConnectException("Connection refused");
            case ECONNRESET -> new SocketException("Connection reset");
            case EPIPE -> new SocketException("Broken pipe");
            default -> new SocketException(strerror(errno) + " (" + what + ")");
        };
    }

    /**
     * Writes a {@code sockaddr_in} or {@code sockaddr_in6}.
     *
     * @param address a resolved address
     * @param into at least {@value #SOCKADDR_MAX} bytes
     * @return its length
     * @throws UnknownHostException if the address is unresolved
     */
    static int sockaddr(InetSocketAddress address, MemorySegment into) throws UnknownHostException {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new UnknownHostException(address.getHostString());
        }
        into.fill((byte) 0);
        into.set(SHORT_BE, 2, (short) address.getPort());
        byte[] raw = ip.getAddress();
        if (ip instanceof Inet4Address) {
            into.set(JAVA_SHORT, 0, (short) AF_INET);
            MemorySegment.copy(raw, 0, into, ValueLayout.JAVA_BYTE, 4, 4);
            return 16;
        }
        into.set(JAVA_SHORT, 0, (short) AF_INET6);
        MemorySegment.copy(raw, 0, into, ValueLayout.JAVA_BYTE, 8, 16);
        if (ip instanceof Inet6Address v6) {
            into.set(JAVA_INT.withByteAlignment(1), 24, v6.getScopeId());
        }
        return 28;
    }

    /** @return the address a {@code sockaddr_in}/{@code sockaddr_in6} holds, or null for another family */
    static InetSocketAddress sockaddr(MemorySegment from) {
        int family = from.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(from.get(SHORT_BE, 2));
        byte[] raw;
        int scope = 0;
        if (family == AF_INET) {
            raw = from.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
        } else if (family == AF_INET6) {
            raw = from.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
            scope = from.get(JAVA_INT.withByteAlignment(1), 24);
        } else {
            return null;
        }
        try {
            InetAddress ip = InetAddress.getByAddress(raw); // an IPv4-mapped address comes back IPv4
            if (scope != 0 && ip instanceof Inet6Address) {
                ip = Inet6Address.getByAddress(null, raw, scope); // link-local: keep the interface
            }
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
    }
}
