package io.eventide.http.internal.multipart;

import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import io.eventide.http.HttpException;
import io.eventide.http.MultipartOptions;
import io.eventide.http.MultipartResult;
import io.eventide.http.UploadedFile;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upload in progress: the request's body stream feeds the parser, whose parts go to memory
 * (fields) or to an {@link UploadWriter} (files), with the request paused while the disk lags.
 *
 * <ol>
 *   <li>Start: set the request's body limit, attach onData, onEnd and onError.</li>
 *   <li>Each body buffer goes through the parser; limits are checked as parts grow. If the writer is
 *       backlogged afterwards, pause the request.</li>
 *   <li>After each disk task: resume if no longer backlogged; if the body has ended and the writer
 *       is idle, resolve.</li>
 *   <li>Any failure (malformed body, limit, disk error, lost connection) settles the session once:
 *       queued writes are dropped, every temporary file is deleted, and only then is the promise
 *       rejected, so a caller seeing the rejection sees no leftover file. Body bytes still arriving
 *       are discarded.</li>
 * </ol>
 *
 * <p><b>Threading:</b> loop-confined: created and driven on the request's loop.
 */
public final class UploadSession implements MultipartParser.Listener {
    private static final System.Logger LOG = System.getLogger("io.eventide.http");

    private final BodySource req;
    private final MultipartOptions options;
    private final Promise<MultipartResult> promise;
    private final MultipartParser parser;
    private final UploadWriter writer;
    private final Map<String, List<String>> fields = new LinkedHashMap<>();
    private final List<UploadedFile> files = new ArrayList<>();
    private final List<FileTarget> targets = new ArrayList<>();
    private FileTarget file;
    private long fileBytes;
    private ByteArrayOutputStream field;
    private String fieldName;
    private boolean paused;
    private boolean bodyEnded;
    private boolean settled;

    /**
     * @param req the request, on its loop
     * @param options limits and temporary directory
     * @param boundary the validated boundary
     * @param promise settled with the result
     */
    public UploadSession(BodySource req, MultipartOptions options, String boundary, Promise<MultipartResult> promise) {
        this.req = req;
        this.options = options;
        this.promise = promise;
        this.parser = new MultipartParser(boundary, options.maxPartHeaderBytes(), options.maxParts(), this);
        long hint = req.contentLength() > 0 ? req.contentLength() : UploadWriter.MAX_BUFFER;
        int bufferSize = (int) Math.max(4096, Math.min(UploadWriter.MAX_BUFFER, hint));
        this.writer = new UploadWriter(req.loop(), bufferSize, this::fail, this::diskProgress);
    }

    /** Attaches to the request's body stream; the body starts flowing. */
    public void start() {
        if (options.maxTotalBytes() >= 0) {
            req.maxBodyBytes(options.maxTotalBytes()); // before onData: the server checks it on flow
        }
        req.onError(this::bodyFailed);
        req.onEnd(this::bodyEnded);
        req.onData(this::onData);
    }

    private void onData(ByteBuffer buf) {
        if (settled) {
            buf.position(buf.limit());
            return;
        }
        try {
            parser.feed(buf);
        } catch (RuntimeException e) {
            buf.position(buf.limit());
            fail(e);
            return;
        }
        if (!paused && writer.backlogged()) {
            paused = true;
            req.pause();
        }
    }

    private void bodyEnded() {
        if (settled) {
            return;
        }
        try {
            parser.finish();
        } catch (HttpException e) {
            fail(e);
            return;
        }
        bodyEnded = true;
        diskProgress();
    }

    /** The body itself failed: a limit or timeout (an HttpException already) or a lost connection. */
    private void bodyFailed(Throwable cause) {
        if (cause instanceof HttpException) {
            fail(cause);
            return;
        }
        // The client went away: not a storage failure, and nobody is left to read the status.
        HttpException he = new HttpException(400, "upload interrupted: the request body did not complete");
        he.initCause(cause);
        fail(he);
    }

    private void diskProgress() {
        if (settled) {
            return;
        }
        if (paused && !writer.backlogged()) {
            paused = false;
            req.resume();
        }
        if (bodyEnded && writer.isIdle()) {
            settled = true;
            promise.resolve(new MultipartResult(fields, files));
        }
    }

    private void fail(Throwable cause) {
        if (settled) {
            return;
        }
        settled = true;
        if (paused) {
            // Let the rest of the body flow (and be discarded): a paused request would also stall
            // the server's own discarding once the application has answered.
            paused = false;
            req.resume();
        }
        HttpException he = toHttp(cause);
        writer.abort(List.copyOf(targets), () -> promise.reject(he));
    }

    private static HttpException toHttp(Throwable cause) {
        if (cause instanceof HttpException he) {
            return he;
        }
        HttpException he = cause instanceof OverloadException
                ? new HttpException(503, "server too busy to store the upload")
                : new HttpException(500, "could not store the upload");
        if (!(cause instanceof OverloadException)) {
            LOG.log(Level.WARNING, "storing a multipart upload failed", cause);
        }
        he.initCause(cause);
        return he;
    }

    // ------------------------------------------------------------------------------------------
    // Parser events (inside parser.feed, so a thrown HttpException lands in onData's catch)

    @Override
    public void partBegin(PartHead head) {
        if (head.isFile()) {
            file = new FileTarget(head, options.tempDir());
            fileBytes = 0;
            targets.add(file);
            writer.open(file);
        } else {
            fieldName = head.name();
            field = new ByteArrayOutputStream(Math.min(256, options.maxFieldBytes()));
        }
    }

    @Override
    public void partData(ByteBuffer data) {
        int n = data.remaining();
        if (file != null) {
            fileBytes += n;
            if (fileBytes > options.maxFileBytes()) {
                throw new HttpException(413, "file exceeds max-file-bytes (" + options.maxFileBytes() + ")");
            }
            writer.append(file, data);
            return;
        }
        if (field.size() + n > options.maxFieldBytes()) {
            throw new HttpException(413, "field exceeds max-field-bytes (" + options.maxFieldBytes() + ")");
        }
        byte[] copy = new byte[n];
        data.get(copy);
        field.writeBytes(copy);
    }

    @Override
    public void partEnd() {
        if (file != null) {
            FileTarget done = file;
            file = null;
            writer.close(done, () -> files.add(done.toUploadedFile()));
            return;
        }
        // RFC 7578 §5.1: field values are UTF-8 unless a _charset_ field says otherwise; we assume it.
        fields.computeIfAbsent(fieldName, k -> new ArrayList<>(1)).add(field.toString(StandardCharsets.UTF_8));
        field = null;
    }
}
