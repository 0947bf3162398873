package io.eventide.http;

import io.eventide.core.EventLoop;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import io.eventide.core.net.Connection;
import io.eventide.core.net.Protocol;

/**
 * The response to one request, written as a whole ({@link #end(String)}) or streamed
 * ({@link #write} ... {@link #end()}) with backpressure: {@code write} returns false once the
 * connection's queue passed its high watermark, and {@link #onDrain} says when to go on.
 *
 * <p>Framing is chosen when the head goes out: an {@code end(body)} without earlier writes sends
 * {@code Content-Length}; streaming sends {@code Transfer-Encoding: chunked} to HTTP/1.1 clients
 * (unless the handler set a Content-Length) and closes the connection to mark the end for HTTP/1.0
 * clients. Responses to {@code HEAD}, and 204 and 304 responses, carry no body. Pipelined requests
 * are answered strictly in order: a later request is not read before this response ends.
 *
 * <p><b>Threading:</b> loop-confined: call it on {@link #loop()}'s thread (for work done
 * elsewhere, hop back with {@code loop().execute}).
 */
public final class HttpResponse {
    private final Http1ServerConnection conn;
    private final HttpRequest req;
    private int status = 200;
    private HttpHeaders headers;
    private HttpHeaders trailers;
    private String contentType;
    private Runnable onDrain;
    private List<Runnable> onFinish;
    private Runnable onShutdown;
    private Consumer<Throwable> onClose;
    boolean committed;
    boolean ended;
    private boolean held;
    boolean chunked;
    long declaredLength = -1;
    GzipStream gzip;

    HttpResponse(Http1ServerConnection conn, HttpRequest req) {
        this.conn = conn;
        this.req = req;
    }

    /** @param code the status, 100..599 @return this response */
    public HttpResponse status(int code) {
        checkNotCommitted();
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("status must be 200..599: " + code);
        }
        this.status = code;
        return this;
    }

    void switchingProtocols() {
        this.status = 101;
    }

    /** @return the status */
    public int status() {
        return status;
    }

    /**
     * Sets a header, replacing earlier values. {@code Content-Length} is honoured: the body must
     * then have exactly that length.
     *
     * @param name header name
     * @param value header value (no CR or LF)
     * @return this response
     */
    public HttpResponse header(String name, String value) {
        checkNotCommitted();
        checkValue(name);
        checkValue(value);
        if (name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
            contentType = value;
            return this;
        }
        if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
            declaredLength = Long.parseLong(value.trim());
            return this;
        }
        headers().set(name, value);
        return this;
    }

    /**
     * Adds a header value (for repeatable fields such as {@code Set-Cookie}).
     *
     * @param name header name
     * @param value header value
     * @return this response
     */
    public HttpResponse addHeader(String name, String value) {
        checkNotCommitted();
        checkValue(name);
        checkValue(value);
        headers().add(name, value);
        return this;
    }

    private static void checkValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("header names and values must not contain CR, LF or NUL");
            }
        }
    }

    /** @return the headers set so far (excluding Content-Type and Content-Length) */
    public HttpHeaders headers() {
        if (headers == null) {
            headers = new HttpHeaders(4);
        }
        return headers;
    }

    HttpHeaders headersOrNull() {
        return headers;
    }

    /** @param type the Content-Type @return this response */
    public HttpResponse contentType(String type) {
        return header(HttpHeaders.CONTENT_TYPE, type);
    }

    String contentTypeValue() {
        return contentType;
    }

    /**
     * Adds a trailer field, sent after a chunked body.
     *
     * @param name field name
     * @param value field value
     * @return this response
     */
    public HttpResponse trailer(String name, String value) {
        checkValue(name);
        checkValue(value);
        if (trailers == null) {
            trailers = new HttpHeaders(2);
        }
        trailers.add(name, value);
        return this;
    }

    HttpHeaders trailersOrNull() {
        return trailers;
    }

    /** @param handler called when the connection can take more after write returned false @return this */
    public HttpResponse onDrain(Runnable handler) {
        this.onDrain = handler;
        return this;
    }

    void drained() {
        if (onDrain != null && !ended) {
            onDrain.run();
        }
    }

    /** @param hook runs after the response ended (for logs and metrics) @return this response */
    public HttpResponse onFinish(Runnable hook) {
        if (onFinish == null) {
            onFinish = new ArrayList<>(2);
        }
        onFinish.add(hook);
        return this;
    }

    List<Runnable> finishHooks() {
        return onFinish;
    }

    /**
     * @param hook runs if the server begins a graceful close while this response is still open:
     *     long-lived responses (event streams) end themselves here instead of holding the close
     * @return this response
     */
    public HttpResponse onShutdown(Runnable hook) {
        this.onShutdown = hook;
        return this;
    }

    Runnable shutdownHook() {
        return onShutdown;
    }

    /**
     * @param handler called once if the connection closes while this response is in progress, or
     *     after it ended, with the cause or null (like Node's response 'close')
     * @return this response
     */
    public HttpResponse onClose(Consumer<Throwable> handler) {
        this.onClose = Objects.requireNonNull(handler);
        if (conn.connection().isClosed()) {
            closed(null);
        }
        return this;
    }

    void closed(Throwable cause) {
        Consumer<Throwable> h = onClose;
        onClose = null;
        if (h != null) {
            h.accept(cause);
        }
    }

    /** @return whether the connection is gone (nothing more can reach the client) */
    public boolean isClosed() {
        return conn.connection().isClosed();
    }

    /** @return bytes written to the connection and not yet sent (the client is that far behind) */
    public long queuedBytes() {
        return conn.connection().queuedBytes();
    }

    /** Closes the connection at once, dropping what is queued (a client too slow to keep). */
    public void destroy() {
        ended = true;
        conn.connection().destroy();
    }

    /**
     * Writes a body chunk shared by many responses without copying it (an event encoded once and
     * fanned out): the connection keeps a read-only view. Falls back to a copy when the response
     * is compressed.
     *
     * @param shared bytes nobody modifies any more; its position is untouched
     * @return like {@link #write(ByteBuffer)}
     */
    public boolean writeShared(ByteBuffer shared) {
        checkNotEnded();
        return conn.writeShared(this, shared);
    }

    /** @return the request this answers */
    public HttpRequest request() {
        return req;
    }

    /** @return the loop */
    public EventLoop loop() {
        return conn.connection().loop();
    }

    /** @return whether the head has been sent (status and headers can no longer change) */
    public boolean isCommitted() {
        return committed;
    }

    /** @return whether {@link #end()} was called */
    public boolean isEnded() {
        return ended;
    }

    /**
     * Takes this exchange out of the request chain: no further {@code before} hook and no route
     * runs, as if the hook had ended the response, but the caller answers later (a hook that relays
     * the request elsewhere, say). The caller must end the response, or destroy it.
     *
     * @return this response
     */
    public HttpResponse hold() {
        held = true;
        return this;
    }

    /** @return whether {@link #hold()} was called */
    public boolean isHeld() {
        return held;
    }

    // ------------------------------------------------------------------------------------------
    // Body

    /**
     * @param chunk bytes to send (copied or sent before this returns)
     * @return false when the connection's queue is full: wait for {@link #onDrain}
     */
    public boolean write(ByteBuffer chunk) {
        checkNotEnded();
        return conn.writeBody(this, chunk);
    }

    /** @param text sent as UTF-8 @return like {@link #write(ByteBuffer)} */
    public boolean write(String text) {
        return write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** @param bytes sent as is @return like {@link #write(ByteBuffer)} */
    public boolean write(byte[] bytes) {
        return write(ByteBuffer.wrap(bytes));
    }

    /** Ends the response (sends the head first if nothing was written). */
    public void end() {
        checkNotEnded();
        conn.endBody(this, null);
    }

    /** @param body the whole body (or the last part after writes) */
    public void end(ByteBuffer body) {
        checkNotEnded();
        conn.endBody(this, Objects.requireNonNull(body));
    }

    /** @param text the whole body as UTF-8; sets {@code text/plain; charset=utf-8} if no type set */
    public void end(String text) {
        if (contentType == null && !committed) {
            contentType = "text/plain; charset=utf-8";
        }
        end(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** @param bytes the whole body */
    public void end(byte[] bytes) {
        end(ByteBuffer.wrap(bytes));
    }

    /**
     * Ends the response with {@code count} bytes of {@code file} from {@code position}, sent with zero
     * copy ({@link FileChannel#transferTo}) after the head, which gets {@code Content-Length: count}.
     * The server closes {@code file} once it was sent, or when the connection fails first.
     *
     * @param file an open file channel, handed over to the server
     * @param position first byte
     * @param count number of bytes
     */
    public void sendFile(FileChannel file, long position, long count) {
        checkNotEnded();
        checkNotCommitted();
        conn.sendFile(this, Objects.requireNonNull(file), position, count);
    }

    /**
     * Switches this connection to another protocol (WebSocket, ...): sends
     * {@code 101 Switching Protocols} with {@code headers}; once the current callback returns, HTTP
     * lets go of the connection, {@code takeover} receives it and returns the {@link Protocol} that
     * speaks over it from then on, and HTTP hands over in one step
     * ({@link Connection#protocol(Protocol, java.nio.ByteBuffer)}): every handler replaced at once,
     * then the bytes the client sent after the request head delivered to the new protocol. Only for
     * requests without a body. The connection still gets {@link Protocol#onShutdown} when the server
     * closes gracefully: the new protocol says goodbye its own way.
     *
     * @param headers response headers (Upgrade, Connection, protocol-specific ones)
     * @param takeover receives the raw connection, returns the protocol to install
     */
    public void upgrade(HttpHeaders headers, Function<Connection, Protocol> takeover) {
        checkNotCommitted();
        conn.upgrade(this, headers, takeover);
    }

    /**
     * Answers an error status with a short text body.
     *
     * @param code status
     * @param message text safe for the client
     */
    public void sendError(int code, String message) {
        status(code).contentType("text/plain; charset=utf-8").end(message + "\n");
    }

    /** Closes the connection at once: the response cannot be completed. */
    void abort() {
        destroy();
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("response head already sent for " + req);
        }
    }

    private void checkNotEnded() {
        if (ended) {
            throw new IllegalStateException("response already ended for " + req);
        }
    }
}
