package io.eventide.http.internal.websocket;

import io.eventide.core.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where received messages go: the application's text and binary handlers. A client socket is
 * handed to the application through a promise, whose reactions run some time after the handshake
 * completed, possibly after the server's first messages were read. Until the application sets its
 * first data handler, those messages are held (up to a byte budget) and then delivered, in order,
 * right after the callback that set it, so none is lost to timing.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class Inbox {
    private final EventLoop loop;
    private final Consumer<Runnable> runner;
    private final long holdLimit;
    private Consumer<String> onText = s -> { };
    private Consumer<ByteBuffer> onBinary = b -> { };
    private List<Object> held;
    private long heldBytes;

    /**
     * @param loop the socket's loop
     * @param hold whether to hold messages until a data handler is set (client sockets)
     * @param holdLimit how many bytes may be held
     * @param runner runs application code, containing what it throws
     */
    Inbox(EventLoop loop, boolean hold, long holdLimit, Consumer<Runnable> runner) {
        this.loop = loop;
        this.runner = runner;
        this.holdLimit = holdLimit;
        this.held = hold ? new ArrayList<>() : null;
    }

    void onText(Consumer<String> handler) {
        onText = Objects.requireNonNull(handler);
        release();
    }

    void onBinary(Consumer<ByteBuffer> handler) {
        onBinary = Objects.requireNonNull(handler);
        release();
    }

    /**
     * @param message a String or a ByteBuffer
     * @return false when held messages exceed the limit
     */
    boolean deliver(Object message) {
        if (held == null) {
            dispatch(message);
            return true;
        }
        held.add(message);
        heldBytes += message instanceof String s ? s.length() : ((ByteBuffer) message).remaining();
        return heldBytes <= holdLimit;
    }

    /** After the current callback (which may set the other handler too), deliver what was held. */
    private void release() {
        if (held != null) {
            List<Object> h = held;
            held = null;
            if (!h.isEmpty()) {
                loop.queueMicrotask(() -> h.forEach(this::dispatch));
            }
        }
    }

    private void dispatch(Object m) {
        if (m instanceof String s) {
            runner.accept(() -> onText.accept(s));
        } else {
            runner.accept(() -> onBinary.accept((ByteBuffer) m));
        }
    }
}
