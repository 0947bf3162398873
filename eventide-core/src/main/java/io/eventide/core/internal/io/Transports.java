package io.eventide.core.internal.io;

import io.eventide.core.EventLoop;
import io.eventide.core.Transport;
import io.eventide.core.internal.LoopStats;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Makes a loop's {@link Poller} for the chosen {@link Transport}.
 *
 * <p>The epoll transport is compiled for Java 22 (the Foreign Function &amp; Memory API is final
 * there, a preview in 21) into the same module; this class reaches it by name only, after checking
 * the running JDK, so on Java 21 the module still loads and only choosing epoll fails, with a
 * message saying why.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class Transports {
    private static final String EPOLL_POLLER = "io.eventide.core.internal.epoll.EpollPoller";

    private static volatile Function<EventLoop, Poller> pollerAccess;

    private Transports() {
    }

    /**
     * Lets this module's transports reach a loop's poller. Called once, by {@link EventLoop}.
     *
     * @param access the loop's accessor
     */
    public static void grantPollerAccess(Function<EventLoop, Poller> access) {
        if (pollerAccess != null) {
            throw new IllegalStateException("poller access already granted");
        }
        pollerAccess = access;
    }

    /**
     * @param loop a loop (initialised, so its class granted access)
     * @return its poller, which opens sockets and registers them (on the loop's thread)
     */
    public static Poller poller(EventLoop loop) {
        return pollerAccess.apply(loop);
    }

    /**
     * @param transport which one
     * @param loopName for messages and thread names
     * @param stats where idle time is recorded
     * @param hasTasks whether the loop's task queue holds work
     * @param dispatch the loop's dispatch
     * @return a new poller
     * @throws IllegalStateException if that transport cannot run here
     */
    public static Poller newPoller(Transport transport, String loopName, LoopStats stats, BooleanSupplier hasTasks,
            Poller.Dispatch dispatch) {
        if (transport == Transport.NIO) {
            return new NioPoller(loopName, stats, hasTasks, dispatch);
        }
        String why = epollUnavailableReason();
        if (why != null) {
            throw new IllegalStateException("the epoll transport cannot run here: " + why);
        }
        try {
            Constructor<?> c = Class.forName(EPOLL_POLLER).getConstructor(String.class, LoopStats.class,
                    BooleanSupplier.class, Poller.Dispatch.class);
            return (Poller) c.newInstance(loopName, stats, hasTasks, dispatch);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot start the epoll transport: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the epoll transport: " + e, e);
        }
    }

    /** @return why epoll cannot run in this JVM, or null if it can */
    public static String epollUnavailableReason() {
        if (Runtime.version().feature() < 22) {
            return "it needs Java 22 or newer (the Foreign Function & Memory API), this is " + Runtime.version();
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return "it needs Linux, this is " + System.getProperty("os.name");
        }
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return "it knows the system's structures on x86-64 and AArch64 only, this is " + arch;
        }
        return null;
    }
}
