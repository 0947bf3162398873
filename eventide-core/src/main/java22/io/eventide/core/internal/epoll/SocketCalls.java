package io.eventide.core.internal.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * The epoll transport's once-per-socket system calls (socket, bind, listen, connect, shutdown,
 * options, addresses): off the per-request path, so each takes its errno and structures from a
 * short confined arena and any thread may make them.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class SocketCalls {
    private SocketCalls() {
    }

    /** One call: an arena for its structures, and the errno segment it captures into. */
    @FunctionalInterface
    private interface Call<T> {
        T run(Arena arena, MemorySegment errno) throws Throwable;
    }

    private static <T> T call(Call<T> c) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            return c.run(a, Native.errnoSegment(a));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // invokeExact declares Throwable; downcalls throw nothing else
        }
    }

    /** @return a new non-blocking, close-on-exec socket */
    static int socket(int family, int type) throws IOException {
        return call((a, err) -> check((int) Native.SOCKET.invokeExact(err, family,
                type | Native.SOCK_NONBLOCK | Native.SOCK_CLOEXEC, 0), err, "socket"));
    }

    /** SO_REUSEADDR (and SO_REUSEPORT), bind, listen. */
    static void bindAndListen(int fd, InetSocketAddress local, int backlog, boolean reusePort) throws IOException {
        setOption(fd, Native.SOL_SOCKET, Native.SO_REUSEADDR, true);
        if (reusePort) {
            setOption(fd, Native.SOL_SOCKET, Native.SO_REUSEPORT, true);
        }
        call((a, err) -> {
            MemorySegment addr = a.allocate(Native.SOCKADDR_MAX, 8);
            int len = Native.sockaddr(local, addr);
            check((int) Native.BIND.invokeExact(err, fd, addr, len), err, "bind to " + local);
            return check((int) Native.LISTEN.invokeExact(err, fd, backlog < 1 ? 128 : backlog), err, "listen");
        });
    }

    /** @return true if connected at once, false if in progress */
    static boolean connect(int fd, InetSocketAddress to) throws IOException {
        return call((a, err) -> {
            MemorySegment addr = a.allocate(Native.SOCKADDR_MAX, 8);
            int len = Native.sockaddr(to, addr);
            if ((int) Native.CONNECT.invokeExact(err, fd, addr, len) == 0) {
                return true;
            }
            int e = Native.errno(err);
            if (e == Native.EINPROGRESS || e == Native.EINTR) {
                return false;
            }
            throw Native.exception(e, "connect to " + to);
        });
    }

    /** shutdown(SHUT_WR); a socket that is no longer connected is not an error. */
    static void shutdownWrite(int fd) throws IOException {
        call((a, err) -> {
            int r = (int) Native.SHUTDOWN.invokeExact(err, fd, Native.SHUT_WR);
            return r < 0 && Native.errno(err) != Native.ENOTCONN ? check(r, err, "shutdown") : r;
        });
    }

    /** @return the socket's own ({@code peer} false) or its peer's address; null if it has none */
    static InetSocketAddress address(int fd, boolean peer) {
        try {
            return call((a, err) -> {
                MemorySegment addr = a.allocate(Native.SOCKADDR_MAX, 8);
                MemorySegment len = a.allocate(JAVA_INT);
                len.set(JAVA_INT, 0, Native.SOCKADDR_MAX);
                int r = peer ? (int) Native.GETPEERNAME.invokeExact(err, fd, addr, len)
                        : (int) Native.GETSOCKNAME.invokeExact(err, fd, addr, len);
                return r < 0 ? null : Native.sockaddr(addr);
            });
        } catch (IOException e) {
            return null; // not reached: the call reports failure as null
        }
    }

    static void setOption(int fd, int level, int name, boolean on) throws IOException {
        call((a, err) -> {
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, on ? 1 : 0);
            return check((int) Native.SETSOCKOPT.invokeExact(err, fd, level, name, v, 4), err, "setsockopt");
        });
    }

    static int intOption(int fd, int level, int name) throws IOException {
        return call((a, err) -> {
            MemorySegment v = a.allocate(JAVA_INT);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            check((int) Native.GETSOCKOPT.invokeExact(err, fd, level, name, v, len), err, "getsockopt");
            return v.get(JAVA_INT, 0);
        });
    }

    /** @return {@code r}, if the call succeeded; else throws what its errno says */
    private static int check(int r, MemorySegment err, String what) throws IOException {
        if (r < 0) {
            int e = Native.errno(err);
            throw e == Native.EADDRINUSE ? new BindException("Address already in use (" + what + ")")
                    : Native.exception(e, what);
        }
        return r;
    }
}
