package io.eventide.http.spi;

/**
 * Work a module wants done before a server takes its first request, off the loops: set-up that
 * would otherwise block a loop on first use (issue 9, defect 10: Jackson's first serialisation held
 * a loop for ~100 ms). Implementations are found with {@link java.util.ServiceLoader}
 * ({@code provides io.eventide.http.spi.Warmup with ...} in a module, or
 * {@code META-INF/services/io.eventide.http.spi.Warmup} on the class path) and run once per class
 * loader, by the first {@code HttpServer.listen}.
 *
 * <p><b>Threading:</b> called once, on the thread that calls {@code listen}, or on a worker when
 * that thread is a loop; may block (it never runs on a loop).
 */
@FunctionalInterface
public interface Warmup {
    /** Does the set-up; a failure is logged and does not stop the server. */
    void warmUp();
}
