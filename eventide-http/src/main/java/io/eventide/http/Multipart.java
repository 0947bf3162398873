package io.eventide.http;

import io.eventide.core.Promise;
import io.eventide.http.internal.multipart.Boundary;
import io.eventide.http.internal.multipart.BodySource;
import io.eventide.http.internal.multipart.UploadSession;
import java.util.Objects;

/**
 * Receives {@code multipart/form-data} uploads (RFC 7578): fields into memory, files streamed to
 * temporary files, each with its size and SHA-256, in constant memory whatever the upload's size.
 *
 * <pre>{@code
 * MultipartOptions opts = MultipartOptions.defaults()
 *         .tempDir(uploads).maxFileBytes(2L << 30).maxTotalBytes(2L << 30);
 * app.post("/upload", (req, res) -> {
 *     req.onProgress((got, total) -> bus.publish("progress", got + "/" + total)); // optional
 *     Multipart.upload(req, opts)
 *         .onSuccess(form -> {
 *             UploadedFile f = form.file("file");                 // then move or delete f.path()
 *             res.end(f.filename() + " " + f.size() + " " + f.sha256());
 *         })
 *         .onFailure(err -> res.sendError(((HttpException) err).status(), ((HttpException) err).safeMessage()));
 * });
 * }</pre>
 *
 * <pre>
 *  socket ──&gt; HttpRequest.onData ──&gt; MultipartParser ──field──&gt; memory (maxFieldBytes)
 *    ▲ pause / resume                     └──file──&gt; write buffers ──&gt; worker: SHA-256 + write
 *    └──────────── while two buffers wait for the disk ◄──────────────────┘
 * </pre>
 *
 * <p>Backpressure: file bytes are copied into write buffers and written by the loop group's
 * workers, one task at a time per upload; while two buffers wait for the disk the request is
 * paused ({@link HttpRequest#pause()}), which stops reading from the client's socket. The loop never
 * blocks, and an upload holds a few hundred KiB whether it is 1 KiB or 100 GiB.
 *
 * <p>Progress: {@link HttpRequest#onProgress} reports body bytes received against the declared
 * Content-Length (-1 when chunked) on the loop, after each buffer; it is independent of this class,
 * so register it before or after {@code upload}. Forward it wherever the client can watch: an SSE
 * stream or WebSocket keyed by an upload id, or the bus, throttled if the client is slow. Received
 * bytes run ahead of stored bytes by at most the writer's few buffers.
 *
 * <p>Failures reject the promise, always with an {@link HttpException}: 415 (not multipart/form-data), 400
 * (missing or invalid boundary, malformed body, body ended early), 413 (a limit of
 * {@link MultipartOptions}), 503 (worker queue full), 500 (disk error). The temporary files are
 * deleted before the rejection is delivered. When the total limit
 * ({@link MultipartOptions#maxTotalBytes()}) is crossed the server has already answered 413 and
 * closes the connection; answering again is harmless.
 *
 * <p><b>Threading:</b> call {@link #upload} on the request's loop (inside a handler); the promise
 * completes there. The upload takes over the request's {@code onData}, {@code onEnd} and
 * {@code onError}.
 */
public final class Multipart {
    private Multipart() {
    }

    /**
     * @param req a request on its loop, body not yet read
     * @return the fields and stored files, with {@link MultipartOptions#defaults()}
     */
    public static Promise<MultipartResult> upload(HttpRequest req) {
        return upload(req, MultipartOptions.defaults());
    }

    /**
     * Streams the request's body into fields and temporary files.
     *
     * @param req a request on its loop, body not yet read
     * @param options limits and temporary directory
     * @return the fields and stored files; fails with an {@link HttpException} (see the class
     *     documentation)
     * @throws IllegalStateException if called off the request's loop
     */
    public static Promise<MultipartResult> upload(HttpRequest req, MultipartOptions options) {
        Objects.requireNonNull(options, "options");
        if (!req.loop().inLoop()) {
            throw new IllegalStateException("Multipart.upload must be called on the request's loop");
        }
        Promise<MultipartResult> p = req.loop().promise();
        String boundary;
        try {
            boundary = Boundary.parse(req.header(HttpHeaders.CONTENT_TYPE));
        } catch (HttpException e) {
            p.reject(e);
            return p;
        }
        new UploadSession(body(req), options, boundary, p).start();
        return p;
    }

    /** The request's body stream, as the internal upload machinery sees it. */
    private static BodySource body(HttpRequest req) {
        return new BodySource() {
            @Override
            public io.eventide.core.EventLoop loop() {
                return req.loop();
            }

            @Override
            public long contentLength() {
                return req.contentLength();
            }

            @Override
            public void maxBodyBytes(long limit) {
                req.maxBodyBytes(limit);
            }

            @Override
            public void onData(java.util.function.Consumer<java.nio.ByteBuffer> handler) {
                req.onData(handler);
            }

            @Override
            public void onEnd(Runnable handler) {
                req.onEnd(handler);
            }

            @Override
            public void onError(java.util.function.Consumer<Throwable> handler) {
                req.onError(handler);
            }

            @Override
            public void pause() {
                req.pause();
            }

            @Override
            public void resume() {
                req.resume();
            }
        };
    }
}
