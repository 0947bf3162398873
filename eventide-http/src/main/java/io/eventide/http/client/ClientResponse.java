package io.eventide.http.client;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import io.eventide.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A response to a {@link ClientRequest}: its head, and its body as a stream with backpressure.
 *
 * <p>As in Node, the body does not flow until it is asked for: with {@link #onData} (streaming),
 * {@link #body()} or {@link #bodyAsString()} (aggregated, up to a limit), {@link #discard()} or
 * {@link #resume()}. Until then up to 64 KiB of it are held here and the socket is paused past
 * that, so nothing is lost and nothing piles up. A body that fits is read to its end at once, and
 * its connection goes back to the pool even if nobody ever reads it (only the status was
 * wanted). <b>Consume or discard larger bodies</b>: an unread body holds its connection until the
 * idle timeout closes it. {@link #pause()} stops the flow and the socket (backpressure reaches
 * the server through TCP) with no time limit; {@link #resume()} restarts it.
 *
 * <pre>{@code
 * client.get("http://reports:8080/big.csv").onSuccess(res -> {
 *     res.onData(chunk -> {                   // a view, valid only during the call
 *         if (!file.write(chunk)) {
 *             res.pause();                    // ... and res.resume() once the file drained
 *         }
 *     });
 *     res.onEnd(() -> file.close());
 *     res.onError(err -> file.abort(err));    // reset, timeout or malformed body
 * });
 * }</pre>
 *
 * <p><b>Threading:</b> loop-confined: use it on {@link #loop()}'s thread (checked for the body
 * methods); every callback runs there.
 */
public interface ClientResponse {

    /** {@return the loop this response belongs to: the request's loop} */
    EventLoop loop();

    /** {@return the status code} */
    int status();

    /** {@return the reason phrase as received, possibly empty} */
    String reason();

    /** {@return {@code HTTP/1.1} or {@code HTTP/1.0}} */
    String version();

    /** {@return the header fields, in the order received} */
    HttpHeaders headers();

    /**
     * {@return the first value of a header field, or null}
     *
     * @param name the field name, any case
     */
    String header(String name);

    /** {@return the {@code Content-Length}, or -1 when the length is not known in advance} */
    long contentLength();

    /** {@return the trailer fields of a chunked body, once it ended; empty before or without} */
    HttpHeaders trailers();

    /** {@return whether the whole body has been received and delivered} */
    boolean isEnded();

    /**
     * Streams the body and starts it flowing.
     *
     * @param handler receives body bytes; the buffer is valid only during the call
     * @return this response
     * @throws IllegalStateException if the body is already aggregated or discarded
     */
    ClientResponse onData(Consumer<ByteBuffer> handler);

    /**
     * @param handler called once the whole body was delivered (at once if it already was)
     * @return this response
     */
    ClientResponse onEnd(Runnable handler);

    /**
     * @param handler called if the body fails: connection reset or closed early, idle timeout,
     *     malformed chunked framing (at once if it already failed)
     * @return this response
     */
    ClientResponse onError(Consumer<Throwable> handler);

    /** Stops the body flow and the socket until {@link #resume()}. */
    void pause();

    /** Restarts the flow after {@link #pause()}; starts it (discarding data if no {@link #onData}). */
    void resume();

    /**
     * Aggregates the body up to the client's {@code maxResponseBodyBytes}.
     *
     * @return the body; failed with an {@code EventideException} naming the limit if the body is
     *     larger (the connection is then closed), or with the body's failure
     */
    Promise<byte[]> body();

    /**
     * @param maxBytes the most bytes to aggregate
     * @return the body, as {@link #body()} with this limit
     */
    Promise<byte[]> body(long maxBytes);

    /** {@return the body decoded as UTF-8, as {@link #body()}} */
    Promise<String> bodyAsString();

    /** {@return a promise settled once the body was read and dropped, freeing the connection} */
    Promise<Void> discard();
}
