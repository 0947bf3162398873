package io.eventide.http.internal.multipart;

import io.eventide.core.EventLoop;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The request body as the upload machinery needs it: a stream with backpressure. The API's
 * {@code Multipart} adapts an {@code HttpRequest} to it, so nothing here depends on the facade.
 *
 * <p><b>Threading:</b> loop-confined to {@link #loop()}.
 */
public interface BodySource {
    /** @return the loop the body arrives on */
    EventLoop loop();

    /** @return the declared Content-Length, or -1 */
    long contentLength();

    /** @param limit the body limit for this request */
    void maxBodyBytes(long limit);

    /** @param handler receives body bytes, valid during the call */
    void onData(Consumer<ByteBuffer> handler);

    /** @param handler runs once the body ended */
    void onEnd(Runnable handler);

    /** @param handler receives a failure of the body */
    void onError(Consumer<Throwable> handler);

    /** Stops the flow (the client's socket is paused). */
    void pause();

    /** Restarts the flow. */
    void resume();
}
