package io.eventide.http;

import io.eventide.core.EventideException;
import io.eventide.core.Promise;
import io.eventide.core.fs.ByteSink;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Bridges HTTP bodies and byte streams with backpressure both ways: a response as a
 * {@link ByteSink} (pipe a file into it), and a request body piped into any sink (a file).
 *
 * {@snippet :
 * app.get("/download", (req, res) -> FileSystem.of(req.loop())
 *         .readStream(Path.of("big.iso")).pipeTo(HttpStreams.sink(res)));
 *
 * app.put("/upload", (req, res) -> HttpStreams
 *         .pipe(req, FileSystem.of(req.loop()).writeStream(Path.of("upload.bin")))
 *         .whenComplete((n, err) -> res.end(err == null ? "stored " + n : "failed")));
 * }
 *
 * <p><b>Threading:</b> loop-confined: call on the request's loop; everything runs there.
 */
public final class HttpStreams {
    private HttpStreams() {
    }

    /**
     * A response as a sink: {@code write} returns false past the connection's high watermark and
     * the drain comes from {@link HttpResponse#onDrain}. Replaces the response's drain and close
     * handlers. {@link ByteSink#destroy()} closes the connection, so a client never mistakes a
     * truncated body for a whole one.
     *
     * @param res the response; set its status, type and length before the first write
     * @return the sink
     */
    public static ByteSink sink(HttpResponse res) {
        Objects.requireNonNull(res, "res");
        return new ByteSink() {
            @Override
            public boolean write(ByteBuffer src) {
                if (res.isClosed() || res.isEnded()) {
                    src.position(src.limit());
                    return false;
                }
                return res.write(src);
            }

            @Override
            public void onDrain(Runnable handler) {
                res.onDrain(handler);
            }

            @Override
            public void onClose(Consumer<Throwable> handler) {
                res.onClose(cause -> {
                    if (!res.isEnded() || cause != null) {
                        handler.accept(cause);
                    }
                });
            }

            @Override
            public void end() {
                if (!res.isEnded() && !res.isClosed()) {
                    res.end();
                }
            }

            @Override
            public void destroy() {
                res.destroy();
            }

            @Override
            public String toString() {
                return "ByteSink[" + res.request() + "]";
            }
        };
    }

    /**
     * Pipes the request body into {@code sink}: pauses the client's socket when {@code sink.write}
     * returns false and resumes on its drain; ends the sink after the body; destroys it if the body
     * fails (limit, timeout, client gone); and stops the body if the sink fails (disk full).
     *
     * @param req the request whose body to stream
     * @param sink where it goes (e.g. a {@link io.eventide.core.fs.FileWriteStream})
     * @return body bytes piped, once the sink was ended; or the first failure of either side. For a
     *     file sink, wait for its {@code finished()} to know the bytes are in the file.
     */
    public static Promise<Long> pipe(HttpRequest req, ByteSink sink) {
        Objects.requireNonNull(req, "req");
        Objects.requireNonNull(sink, "sink");
        Promise<Long> result = req.loop().promise();
        long[] bytes = {0};
        sink.onDrain(req::resume);
        sink.onClose(cause -> {
            if (result.reject(cause != null ? cause : new EventideException("sink closed before the body ended"))) {
                req.pause();
            }
        });
        req.onError(err -> {
            if (result.reject(err)) {
                sink.destroy();
            }
        });
        req.onData(buf -> {
            if (result.isDone()) {
                buf.position(buf.limit()); // the sink failed: discard the rest
                return;
            }
            bytes[0] += buf.remaining();
            if (!sink.write(buf)) {
                req.pause();
            }
        });
        req.onEnd(() -> {
            if (!result.isDone()) {
                sink.end();
                result.resolve(bytes[0]);
            }
        });
        return result;
    }
}
