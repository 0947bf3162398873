package io.eventide.cluster.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The supervisor's signals: SIGTERM and SIGINT stop the cluster gracefully, SIGHUP reloads it. Uses
 * {@code sun.misc.Signal} (module jdk.unsupported), reached reflectively because javac's
 * proprietary-API warning cannot be suppressed and the build treats warnings as errors (as the
 * host's own signal handling does).
 *
 * <p><b>Threading:</b> install from any thread; handlers run on a JVM signal thread.
 */
final class Signals {
    private Signals() {
    }

    /**
     * @param name signal name without SIG ("TERM", "INT", "HUP")
     * @param action what to run when it arrives
     * @return whether the handler could be installed
     */
    static boolean on(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            InvocationHandler ih = (Object proxy, Method m, Object[] args) -> switch (m.getName()) {
                case "handle" -> {
                    action.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "eventide-cluster-signal-" + name;
            };
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType}, ih);
            signal.getMethod("handle", signal, handlerType).invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("eventide cluster: cannot handle SIG" + name + " (" + e + ")");
            return false;
        }
    }
}
