package io.eventide.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Installs SIGTERM/SIGINT handlers, so a hosted app drains and exits 0 like a well-behaved Node
 * server instead of dying with 143. Uses {@code sun.misc.Signal} (module jdk.unsupported), the only
 * JDK way to handle a signal without exiting; it is reached reflectively because javac reports any
 * direct use as a proprietary-API warning that no annotation suppresses, and the build treats
 * warnings as errors.
 *
 * <p><b>Threading:</b> call from any thread; handlers run on a JVM signal thread.
 */
final class Signals {
    private Signals() {
    }

    /**
     * @param action what to run on SIGTERM or SIGINT
     * @return whether the handlers could be installed (false on JVMs without sun.misc.Signal)
     */
    static boolean onTerminate(Runnable action) {
        return on(action, "TERM", "INT");
    }

    /**
     * @param action what to run on SIGHUP (reload certificates, like nginx)
     * @return whether the handler could be installed
     */
    static boolean onReload(Runnable action) {
        return on(action, "HUP");
    }

    private static boolean on(Runnable action, String... names) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            InvocationHandler ih = (Object proxy, Method m, Object[] args) -> {
                if (m.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "eventide-signal-handler";
                };
            };
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType}, ih);
            Method handle = signal.getMethod("handle", signal, handlerType);
            for (String name : names) {
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.getLogger("io.eventide.host").log(System.Logger.Level.WARNING,
                    "cannot install SIG" + String.join("/SIG", names) + " handlers (" + e + ")", e);
            return false;
        }
    }
}
