package io.eventide.http;

import io.eventide.core.EventLoop;
import io.eventide.core.net.Connection;
import io.eventide.core.net.Protocol;
import io.eventide.http.internal.server.Exchange;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * elsewhere, hop back with {@code loop().execute}). Every method that changes the response checks
 * the thread and throws {@link IllegalStateException} elsewhere, before anything is written: a
 * {@code res.end()} from a worker fails at once, in the worker, with a message naming the loop.
 * The state readers ({@link #isCommitted()}, {@link #isEnded()}, {@link #isClosed()},
 * {@link #status()}) may be called from any thread and may lag by a moment.
 *
 * <p>A handler that has not started its response within the server's handler timeout
 * ({@link HttpOptions#handlerTimeout()}) is answered 503 by the server; what it does with this
 * response afterwards is ignored.
 */
public final class HttpResponse {
    private final Exchange x;
    private final HttpRequest req;

    HttpResponse(Exchange x, HttpRequest req) {
        this.x = x;
        this.req = req;
    }

    /**
     * @param code the final status, 200..599 (interim 1xx responses are not set here: {@code 100
     *     Continue} goes out by itself when the body is read, and {@code 101} is
     *     {@link #upgrade})
     * @return this response
     */
    public HttpResponse status(int code) {
        x.checkLoop("status");
        if (x.timedOut()) {
            return this; // answered 503 already: ignored
        }
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("status must be 200..599 (1xx are interim: 100 Continue is sent "
                    + "when the body is read, 101 by upgrade()): " + code);
        }
        x.status(code);
        return this;
    }

    /** @return the status */
    public int status() {
        return x.status();
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
        x.checkLoop("header");
        if (x.timedOut()) {
            return this;
        }
        checkValue(name);
        checkValue(value);
        if (name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
            x.contentType(value);
            return this;
        }
        if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
            x.declaredLength(Long.parseLong(value.trim()));
            return this;
        }
        notCommitted();
        x.headers().set(name, value);
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
        x.checkLoop("addHeader");
        if (x.timedOut()) {
            return this;
        }
        notCommitted();
        checkValue(name);
        checkValue(value);
        x.headers().add(name, value);
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

    private void notCommitted() {
        if (x.isCommitted()) {
            throw new IllegalStateException("response head already sent for " + req);
        }
    }

    private void notEnded() {
        if (x.isEnded()) {
            throw new IllegalStateException("response already ended for " + req);
        }
    }

    /** @return the headers set so far (excluding Content-Type and Content-Length) */
    public HttpHeaders headers() {
        x.checkLoop("headers");
        return x.headers();
    }

    /** @param type the Content-Type @return this response */
    public HttpResponse contentType(String type) {
        return header(HttpHeaders.CONTENT_TYPE, type);
    }

    /**
     * Adds a trailer field, sent after a chunked body.
     *
     * @param name field name
     * @param value field value
     * @return this response
     */
    public HttpResponse trailer(String name, String value) {
        x.checkLoop("trailer");
        if (x.timedOut()) {
            return this;
        }
        checkValue(name);
        checkValue(value);
        x.trailers().add(name, value);
        return this;
    }

    /** @param handler called when the connection can take more after write returned false @return this */
    public HttpResponse onDrain(Runnable handler) {
        x.checkLoop("onDrain");
        x.onDrain(handler);
        return this;
    }

    /** @param hook runs after the response ended (for logs and metrics) @return this response */
    public HttpResponse onFinish(Runnable hook) {
        x.checkLoop("onFinish");
        x.onFinish(hook);
        return this;
    }

    /**
     * @param hook runs if the server begins a graceful close while this response is still open:
     *     long-lived responses (event streams) end themselves here instead of holding the close
     * @return this response
     */
    public HttpResponse onShutdown(Runnable hook) {
        x.checkLoop("onShutdown");
        x.onShutdown(hook);
        return this;
    }

    /**
     * @param handler called once if the connection closes while this response is in progress, or
     *     after it ended, with the cause or null (like Node's response 'close')
     * @return this response
     */
    public HttpResponse onClose(Consumer<Throwable> handler) {
        x.checkLoop("onClose");
        x.onClose(handler);
        return this;
    }

    /**
     * @return body bytes this response has produced so far: after compression, without the head or
     *     chunk framing (the size an access log reports)
     */
    public long bodyBytes() {
        return x.bodyBytes();
    }

    /** @return whether the connection is gone (nothing more can reach the client) */
    public boolean isClosed() {
        return x.isClosed();
    }

    /** @return bytes written to the connection and not yet sent (the client is that far behind) */
    public long queuedBytes() {
        return x.queuedBytes();
    }

    /** Closes the connection at once, dropping what is queued (a client too slow to keep). */
    public void destroy() {
        x.checkLoop("destroy");
        x.destroy();
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
        x.checkLoop("writeShared");
        if (x.timedOut()) {
            return false;
        }
        notEnded();
        return x.writeShared(shared);
    }

    /** @return the request this answers */
    public HttpRequest request() {
        return req;
    }

    /** @return the loop */
    public EventLoop loop() {
        return x.loop();
    }

    /** @return whether the head has been sent (status and headers can no longer change) */
    public boolean isCommitted() {
        return x.isCommitted();
    }

    /** @return whether {@link #end()} was called */
    public boolean isEnded() {
        return x.isEnded();
    }

    /**
     * Takes this exchange out of the request chain: no further {@code before} hook and no route
     * runs, as if the hook had ended the response, but the caller answers later (a hook that relays
     * the request elsewhere, say). The caller must end the response, or destroy it.
     *
     * @return this response
     */
    public HttpResponse hold() {
        x.hold();
        return this;
    }

    /** @return whether {@link #hold()} was called */
    public boolean isHeld() {
        return x.isHeld();
    }

    // ------------------------------------------------------------------------------------------
    // Body

    /**
     * @param chunk bytes to send (copied or sent before this returns)
     * @return false when the connection's queue is full: wait for {@link #onDrain}
     */
    public boolean write(ByteBuffer chunk) {
        x.checkLoop("write");
        if (x.timedOut()) {
            return false;
        }
        notEnded();
        return x.write(chunk);
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
        x.checkLoop("end");
        if (x.timedOut()) {
            return;
        }
        notEnded();
        x.end(null);
    }

    /** @param body the whole body (or the last part after writes) */
    public void end(ByteBuffer body) {
        x.checkLoop("end");
        if (x.timedOut()) {
            return;
        }
        notEnded();
        x.end(Objects.requireNonNull(body));
    }

    /** @param text the whole body as UTF-8; sets {@code text/plain; charset=utf-8} if no type set */
    public void end(String text) {
        x.checkLoop("end");
        if (x.timedOut()) {
            return;
        }
        if (x.contentType() == null && !x.isCommitted()) {
            x.contentType("text/plain; charset=utf-8");
        }
        notEnded();
        x.endText(Objects.requireNonNull(text));
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
        x.checkLoop("sendFile");
        if (x.timedOut()) {
            closeQuietly(file);
            return;
        }
        notEnded();
        notCommitted();
        x.sendFile(Objects.requireNonNull(file), position, count);
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
        x.checkLoop("upgrade");
        if (x.timedOut()) {
            return;
        }
        notCommitted();
        x.upgrade(headers, takeover);
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

    @Override
    public String toString() {
        return "HttpResponse[" + req + ", " + x.status() + (x.isEnded() ? ", ended" : x.isCommitted() ? ", committed" : "") + "]";
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (java.io.IOException e) {
            // A file handed to a response the server already answered: only read, nothing lost.
        }
    }
}
