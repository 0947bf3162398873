package io.eventide.http.internal.server;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the engine calls on the API side: it routes an {@link Exchange} to the application, and
 * hears how it ended. Implemented by the server's router; the engine never sees the facades.
 *
 * <p><b>Threading:</b> called on the exchange's loop.
 */
public interface Dispatcher {
    /** @param x a request whose head is complete: route it and run its handler */
    void dispatch(Exchange x);

    /** @param x an exchange whose response ended (after-hooks run here) */
    void finished(Exchange x);

    /**
     * @param x an exchange whose connection closed before its response ended (the client left,
     *     the handler destroyed it); never called for one that {@link #finished}
     * @param cause the connection's close cause, or null
     */
    void aborted(Exchange x, Throwable cause);

    /**
     * @param x the exchange whose callback threw
     * @param error what it threw
     */
    void failed(Exchange x, Throwable error);

    /**
     * @param dispatch {@link #dispatch}
     * @param finished {@link #finished}
     * @param aborted {@link #aborted}
     * @param failed {@link #failed}
     * @return a dispatcher made of these functions
     */
    static Dispatcher of(Consumer<Exchange> dispatch, Consumer<Exchange> finished,
            BiConsumer<Exchange, Throwable> aborted, BiConsumer<Exchange, Throwable> failed) {
        return new Dispatcher() {
            @Override
            public void dispatch(Exchange x) {
                dispatch.accept(x);
            }

            @Override
            public void finished(Exchange x) {
                finished.accept(x);
            }

            @Override
            public void aborted(Exchange x, Throwable cause) {
                aborted.accept(x, cause);
            }

            @Override
            public void failed(Exchange x, Throwable error) {
                failed.accept(x, error);
            }
        };
    }
}
