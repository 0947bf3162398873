package io.eventide.http.internal.server;

import io.eventide.http.spi.Warmup;
import java.lang.System.Logger.Level;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs every {@link Warmup} found on the class path or module path, once per class loader.
 *
 * <p><b>Threading:</b> any thread but a loop: warm-ups may block.
 */
public final class Warmups {
    private static final System.Logger LOG = System.getLogger("io.eventide.http");
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private Warmups() {
    }

    /** Runs the warm-ups unless they ran already. */
    public static void runOnce() {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        for (Warmup w : ServiceLoader.load(Warmup.class, Warmups.class.getClassLoader())) {
            try {
                w.warmUp();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "warm-up " + w.getClass().getName() + " failed; serving anyway", e);
            }
        }
    }
}
