package io.eventide.http.client;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One outgoing HTTP/1.1 request, made by {@link HttpClient#request}: set headers, then either send
 * a whole body with {@link #send} or stream one with {@link #write} and {@link #end}.
 *
 * <pre>{@code
 * // whole body: Content-Length, retried once on a stale keep-alive connection if idempotent
 * client.request("PUT", "http://inventory:8080/items/42")
 *       .header("Content-Type", "application/json")
 *       .send("{\"count\":3}")
 *       .flatMap(ClientResponse::bodyAsString);
 *
 * // streamed body (on the request's loop): chunked unless a Content-Length header was set
 * ClientRequest req = client.request("POST", "http://archive:8080/upload");
 * req.onDrain(() -> pump(req));                  // write returned false: wait for this
 * pump(req);                                     // while (more && req.write(next())) ...; req.end()
 * req.response().onSuccess(res -> ...);
 * }</pre>
 *
 * <p>Body framing: a whole body gets {@code Content-Length}; a streamed body gets
 * {@code Transfer-Encoding: chunked} unless the application set {@code Content-Length}, in which
 * case exactly that many bytes must be written. A body streamed and ended before a connection
 * became free is sent with {@code Content-Length} too. {@code Host}, {@code User-Agent} (from the
 * options) and the framing fields are added unless set here; {@code Transfer-Encoding} cannot be
 * set by hand.
 *
 * <p>The request starts (a pooled connection is taken, or one is opened) on the first
 * {@link #send}, {@link #write} or {@link #end}. Bytes written before a connection is ready are
 * buffered, and {@link #write} says when that buffer is full, exactly as once connected. If the
 * response completes before the body was fully sent (the server answered early, for example 413),
 * later writes are discarded and the connection is not reused.
 *
 * <p><b>Threading:</b> headers and timeouts may be set from any one thread before the request
 * starts. {@link #send} and {@link #response} may be called from any thread. {@link #write},
 * {@link #end} and {@link #onDrain} are loop-confined: call them on {@link #loop()} (checked),
 * where every callback and the response promise run.
 */
public interface ClientRequest {

    /** {@return the loop the request runs on: the caller's loop when created on one} */
    EventLoop loop();

    /** {@return the method, for example {@code GET}} */
    String method();

    /** {@return the host the request goes to} */
    String host();

    /** {@return the port the request goes to} */
    int port();

    /** {@return the request target, for example {@code /items/42?full=true}} */
    String target();

    /** {@return the header fields set so far; change them only through this request} */
    HttpHeaders headers();

    /**
     * Sets a header field, replacing any of the same name.
     *
     * @param name a token
     * @param value ISO-8859-1 text without control characters
     * @return this request
     * @throws IllegalArgumentException for an invalid name or value, a malformed
     *     {@code Content-Length}, or {@code Transfer-Encoding}
     * @throws IllegalStateException once the request has started
     */
    ClientRequest header(String name, String value);

    /**
     * Adds a header field, keeping others of the same name.
     *
     * @param name a token
     * @param value ISO-8859-1 text without control characters
     * @return this request
     * @throws IllegalArgumentException as {@link #header}
     * @throws IllegalStateException once the request has started
     */
    ClientRequest addHeader(String name, String value);

    /**
     * @param timeout end of the request to the response head, overriding the client's
     * @return this request
     */
    ClientRequest headTimeout(Duration timeout);

    /**
     * @param timeout longest time without a byte read or written, overriding the client's
     * @return this request
     */
    ClientRequest idleTimeout(Duration timeout);

    /**
     * Sends the request without a body ({@code Content-Length: 0} for POST, PUT and PATCH).
     *
     * @return the response, once its head arrived; failures as described in {@link HttpClient}
     * @throws IllegalStateException if the request already started
     */
    Promise<ClientResponse> send();

    /**
     * Sends the request with a whole body. The request keeps the bytes until it is done, so it
     * can be retried; do not change them meanwhile.
     *
     * @param body the body
     * @return the response, once its head arrived
     * @throws IllegalStateException if the request already started
     */
    Promise<ClientResponse> send(byte[] body);

    /**
     * @param body the body, encoded as UTF-8
     * @return the response, once its head arrived
     * @see #send(byte[])
     */
    Promise<ClientResponse> send(String body);

    /**
     * @param body the body, from its position to its limit; not copied, so leave it unchanged
     * @return the response, once its head arrived
     * @see #send(byte[])
     */
    Promise<ClientResponse> send(ByteBuffer body);

    /**
     * Writes part of a streamed body, starting the request if needed. Loop-confined.
     *
     * @param chunk bytes to send; copied or written before this returns, so it may be reused
     * @return false when the buffered bytes reached the high watermark: stop writing until
     *     {@link #onDrain}
     * @throws IllegalStateException after {@link #end} or {@link #send}, off the loop, or past
     *     the {@code Content-Length} the application set
     */
    boolean write(ByteBuffer chunk);

    /**
     * @param chunk bytes to send
     * @return like {@link #write(ByteBuffer)}
     */
    boolean write(byte[] chunk);

    /**
     * @param chunk text to send, encoded as UTF-8
     * @return like {@link #write(ByteBuffer)}
     */
    boolean write(String chunk);

    /**
     * @param handler called on the loop when buffered bytes fell to the low watermark after
     *     {@link #write} returned false
     * @return this request
     */
    ClientRequest onDrain(Runnable handler);

    /** Ends a streamed body (or sends the request without one), starting the request if needed. */
    void end();

    /** {@return the response promise, settled on {@link #loop()}; any thread} */
    Promise<ClientResponse> response();
}
