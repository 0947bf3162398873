package io.eventide.http.blocking;

import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The response as a blocking handler writes it. Status and headers are kept on the handler's
 * thread until the first write; every write or end is handed to the loop, which alone touches the
 * connection, and the handler's thread waits until the loop took the bytes, and, past the
 * connection's high watermark, until it drained: backpressure as a blocking {@code write}, like an
 * {@code OutputStream}, at no cost to the loop.
 *
 * <pre>
 *   virtual thread: status/header (kept here) ─ write(bytes) ──► loop.execute: res.write ─┐
 *        ▲ waits                                                     false? wait for onDrain │
 *        └──────────────────────────── taken (and drained) ◄───────────────────────────────┘
 * </pre>
 *
 * <p>If the handler returns without ending the response, it is ended for it (an empty 200 if
 * nothing was written). Writing after the client went away throws {@link EventideException}.
 *
 * <p><b>Threading:</b> the handler's virtual thread (never a loop: each call blocks until the loop
 * ran it). {@link #onLoop} runs its action on the loop.
 */
public final class BlockingResponse {
    private final HttpResponse res;
    private final EventLoop loop;
    private final List<String[]> pendingHeaders = new ArrayList<>(4);
    private int status = 200;
    private String contentType;
    private boolean committed;
    private boolean ended;

    BlockingResponse(HttpResponse res) {
        this.res = res;
        this.loop = res.loop();
    }

    /** @param code the status, 200..599 @return this response */
    public BlockingResponse status(int code) {
        checkNotCommitted();
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("status must be 200..599: " + code);
        }
        status = code;
        return this;
    }

    /** @param name a header @param value its value @return this response */
    public BlockingResponse header(String name, String value) {
        checkNotCommitted();
        pendingHeaders.add(new String[] {name, value});
        return this;
    }

    /** @param type the Content-Type @return this response */
    public BlockingResponse contentType(String type) {
        checkNotCommitted();
        contentType = type;
        return this;
    }

    /** @param text sent as UTF-8; waits while the client is behind */
    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @param bytes sent as is; waits until the loop took them and the connection is not full */
    public void write(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        run(r -> {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            if (r.write(b)) {
                drained.complete(null);
            } else {
                r.onDrain(() -> drained.complete(null));
                r.onClose(c -> drained.completeExceptionally(new EventideException("client closed the connection")));
            }
            return drained;
        });
    }

    /** Ends the response (an empty body if nothing was written). */
    public void end() {
        finish(null);
    }

    /** @param text the whole body (or its last part), UTF-8; sets {@code text/plain} if no type was set */
    public void end(String text) {
        if (!committed && contentType == null) {
            contentType = "text/plain; charset=utf-8";
        }
        finish(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @param bytes the whole body (or its last part) */
    public void end(byte[] bytes) {
        finish(bytes);
    }

    /** @param code an error status @param message a short text safe for the client */
    public void sendError(int code, String message) {
        status(code).contentType("text/plain; charset=utf-8").end(message + "\n");
    }

    /**
     * Runs {@code action} on the loop with the real response and waits for it: the way to use what
     * this facade lacks (sendFile, trailers, {@code Json.send}). Status and headers set here so far
     * are applied first.
     *
     * @param action runs on the loop; must not block
     */
    public void onLoop(Consumer<HttpResponse> action) {
        run(r -> {
            action.accept(r);
            return CompletableFuture.completedFuture(null);
        });
        ended = res.isEnded();
    }

    /** @return whether the head has been handed to the loop */
    public boolean isCommitted() {
        return committed;
    }

    /** @return whether the response was ended */
    public boolean isEnded() {
        return ended;
    }

    /** @return whether the client has gone (read from the loop's state; may lag by a moment) */
    public boolean isClosed() {
        return res.isClosed();
    }

    private void finish(byte[] body) {
        if (ended) {
            throw new IllegalStateException("response already ended");
        }
        run(r -> {
            if (body == null) {
                r.end();
            } else {
                r.end(body);
            }
            return CompletableFuture.completedFuture(null);
        });
        ended = true;
    }

    /**
     * Hands {@code step} to the loop, with the status and headers set since the last hand-over
     * applied first (while the real response has not sent its head), and waits for the future it
     * returns. Afterwards this facade knows whether the head went out.
     */
    private void run(java.util.function.Function<HttpResponse, CompletableFuture<Void>> step) {
        if (ended) {
            throw new IllegalStateException("response already ended");
        }
        int s = status;
        String type = contentType;
        List<String[]> hs = List.copyOf(pendingHeaders);
        pendingHeaders.clear();
        boolean[] headSent = {committed};
        CompletableFuture<CompletableFuture<Void>> started = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                if (res.isClosed() && !res.isEnded()) {
                    throw new EventideException("client closed the connection");
                }
                if (!res.isCommitted()) {
                    res.status(s);
                    if (type != null) {
                        res.contentType(type);
                    }
                    for (String[] h : hs) {
                        res.header(h[0], h[1]);
                    }
                }
                CompletableFuture<Void> f = step.apply(res);
                headSent[0] = res.isCommitted();
                started.complete(f);
            } catch (Throwable t) {
                headSent[0] = res.isCommitted();
                started.completeExceptionally(t);
            }
        });
        try {
            Blocking.join(Blocking.join(started));
        } finally {
            committed = headSent[0]; // written on the loop before 'started' completed: visible here
        }
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("response head already sent");
        }
    }

    /** After the handler returned: end what it left open. Called on the handler's thread. */
    void completeIfOpen() {
        if (!ended && !res.isClosed()) {
            end();
        }
    }

    HttpResponse raw() {
        return res;
    }
}
