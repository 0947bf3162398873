package io.eventide.core.testing;

import io.eventide.core.BufferPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which a loop terminated with pooled buffers still out
 * ({@link BufferPool#leakedTotal()} grew): a connection, stream or codec that forgot to release a
 * buffer, or a loop closed so bluntly that its channels' handlers never ran. Checked after each
 * test, and after each test class for the groups closed in {@code @AfterAll}.
 *
 * <p>The counter is process-wide, so the check needs no access to the loops a test made; a loop
 * the test never closes is not checked (it leaks no buffer until it terminates). Modules switch
 * it on with JUnit's extension autodetection: {@code junit-platform.properties} and a line in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} of their test resources, and
 * a test asserting {@link #isChecking()} keeps that switch from silently going off (a services
 * file is ignored, for instance, when the class it names sits in a named module).
 *
 * <p>There is no opt-out: a buffer still out when its loop terminates is a leak whatever the test
 * meant, so a test that holds buffers across tests keeps its loops open until it releases them.
 *
 * <p><b>Threading:</b> JUnit's callbacks, on the test thread; the counter is atomic.
 */
public final class BufferLeakCheck implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BufferLeakCheck.class);
    /** Leaks already reported as a failure, so that an enclosing check does not report them again. */
    private static final AtomicLong REPORTED = new AtomicLong();
    /** Tests between their beforeEach and afterEach callbacks, for {@link #isChecking()}. */
    private static final AtomicInteger RUNNING = new AtomicInteger();

    /** Instantiated by JUnit's extension autodetection. */
    public BufferLeakCheck() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("class", mark());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("test", mark());
        RUNNING.incrementAndGet();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RUNNING.decrementAndGet();
        check(context.getStore(NS).get("test", long[].class), "this test");
    }

    /**
     * Whether a test is running under this check now: called from a test method, true when the
     * module switched the check on.
     *
     * @return true between a test's {@code beforeEach} and {@code afterEach} callbacks
     */
    public static boolean isChecking() {
        return RUNNING.get() > 0;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context.getStore(NS).get("class", long[].class), "this class's tests and @AfterAll");
    }

    private static long[] mark() {
        return new long[] {BufferPool.leakedTotal(), REPORTED.get()};
    }

    private static void check(long[] before, String when) {
        if (before == null) {
            return;
        }
        long leaked = BufferPool.leakedTotal() - before[0] - (REPORTED.get() - before[1]);
        if (leaked > 0) {
            REPORTED.addAndGet(leaked);
            throw new AssertionError(message(leaked, when));
        }
    }

    private static String message(long leaked, String when) {
        return "buffer leak: " + leaked + " pooled buffer(s) were still out when their loop terminated during "
                + when + " (last: " + BufferPool.lastLeak() + "); something acquired a buffer and never released it";
    }
}
