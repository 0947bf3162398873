package io.eventide.http;

import io.eventide.core.OverloadException;
import io.eventide.http.internal.files.FileLookup;
import io.eventide.http.internal.files.FileReply;
import io.eventide.http.internal.files.FileRequest;
import io.eventide.http.internal.files.SafePaths;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Serves the files under a directory: mount it on a wildcard route, the file being the rest of the
 * path ({@code req.param("*")}).
 *
 * <pre>{@code
 * app.get("/static/*", StaticFiles.serve(Path.of("public")));
 * app.get("/assets/*", StaticFiles.serve(dist, StaticFileOptions.defaults()
 *         .maxAge(Duration.ofDays(365)).immutable(true)));
 * }</pre>
 *
 * <pre>
 *  loop                         worker (offload)                          loop
 *  path checks (SafePaths) ──&gt; toRealPath, under root? stat,        ──&gt; status + headers,
 *  400 / 404 at once            preconditions, range, open if needed      sendFile (zero copy)
 * </pre>
 *
 * <p>What a response carries:
 * <ul>
 *   <li>{@code Content-Type} from the extension ({@code ; charset=utf-8} for text), else
 *       {@code application/octet-stream}; a weak {@code ETag} from size and modification time;
 *       {@code Last-Modified}; {@code Cache-Control} per {@link StaticFileOptions}; and
 *       {@code Accept-Ranges: bytes}.</li>
 *   <li>304 when {@code If-None-Match} matches or, without it, when {@code If-Modified-Since} is
 *       not older than the file (RFC 9110 §13.2.2: the tag wins); 412 for a failed
 *       {@code If-Match} or {@code If-Unmodified-Since}.</li>
 *   <li>206 with {@code Content-Range} for one byte range ({@code a-b}, {@code a-}, {@code -n}),
 *       416 with {@code Content-Range: bytes *}{@code /size} when it lies past the end. Several
 *       ranges get the whole file with 200 (RFC 9110 §14.2 allows ignoring Range; no
 *       {@code multipart/byteranges}). {@code If-Range} with a date applies the range only if the
 *       file is unchanged; with an entity tag it always sends 200, because If-Range needs a strong
 *       tag (§13.1.5) and ours are weak.</li>
 *   <li>HEAD: the same headers, and the server sends no body; the file is not even opened.</li>
 *   <li>405 with {@code Allow: GET, HEAD} for other methods (when mounted with {@code route}).</li>
 * </ul>
 *
 * <p>Path safety: {@code ..} and {@code .} segments, NUL, control characters and backslashes answer
 * 400; dotfiles, symbolic links leading out of the root, non-regular files and missing files 404;
 * unreadable files 403. A file rewritten in place while it is being sent may end the connection
 * early; deploy by renaming new files into place.
 *
 * <p><b>Threading:</b> immutable; one instance serves every loop. {@link #handle} runs on the
 * request's loop and never blocks it: stat and open run on the loop group's workers
 * ({@code EventLoop.offload}); a full worker queue answers 503.
 */
public final class StaticFiles implements Handler {
    private static final System.Logger LOG = System.getLogger("io.eventide.http");
    private final Path root;
    private final StaticFileOptions options;
    private final FileLookup lookup;

    private StaticFiles(Path root, StaticFileOptions options) {
        this.root = root;
        this.options = options;
        this.lookup = new FileLookup(root, options.indexFile(), options.cacheControl(), options.redirectDirectories());
    }

    /**
     * @param root the directory to serve; must exist
     * @return a handler with {@link StaticFileOptions#defaults()}
     * @throws IllegalArgumentException if {@code root} is not an accessible directory
     */
    public static StaticFiles serve(Path root) {
        return serve(root, StaticFileOptions.defaults());
    }

    /**
     * Resolves {@code root} once, now: call it while setting up routes, not on a loop.
     *
     * @param root the directory to serve; must exist
     * @param options settings
     * @return the handler
     * @throws IllegalArgumentException if {@code root} is not an accessible directory
     */
    public static StaticFiles serve(Path root, StaticFileOptions options) {
        Objects.requireNonNull(options, "options");
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("static root " + root + " is not accessible: " + e, e);
        }
        if (!Files.isDirectory(real)) {
            throw new IllegalArgumentException("static root " + root + " is not a directory");
        }
        return new StaticFiles(real, options);
    }

    /** @return the served directory, with symbolic links resolved */
    public Path root() {
        return root;
    }

    /** @return the settings */
    public StaticFileOptions options() {
        return options;
    }

    @Override
    public void handle(HttpRequest req, HttpResponse res) {
        boolean head = req.method().equals("HEAD");
        if (!head && !req.method().equals("GET")) {
            res.header("Allow", "GET, HEAD").sendError(405, "Method Not Allowed");
            return;
        }
        // The router has decoded the wildcard; without one, decode the whole path ourselves.
        String rest = req.param("*") != null ? req.param("*") : SafePaths.percentDecode(req.path());
        if (rest == null) {
            res.sendError(400, "Bad Request");
            return;
        }
        SafePaths.Resolved c = SafePaths.resolve(root, rest, options.dotfiles());
        if (c.status() != 0) {
            res.sendError(c.status(), c.status() == 400 ? "Bad Request" : "Not Found");
            return;
        }
        FileRequest fr = request(req, head, c.path());
        // onSuccess/onFailure, not whenComplete: its derived promise would re-reject, unobserved.
        req.loop().offload(() -> lookup.lookup(fr))
                .onSuccess(reply -> send(res, reply))
                .onFailure(err -> failed(req, res, err));
    }

    private static FileRequest request(HttpRequest req, boolean head, Path candidate) {
        String path = req.path();
        String redirect = path + "/" + (req.query() == null ? "" : "?" + req.query());
        return new FileRequest(head, candidate, path.endsWith("/"), redirect, req.header("If-Match"),
                req.header(HttpHeaders.IF_NONE_MATCH), req.header(HttpHeaders.IF_MODIFIED_SINCE),
                req.header("If-Unmodified-Since"), req.header(HttpHeaders.RANGE), req.header("If-Range"));
    }

    private static void send(HttpResponse res, FileReply r) {
        if (res.isCommitted() || res.isEnded()) {
            r.closeFile(); // answered meanwhile (e.g. by a timeout hook): the file is ours to close
            return;
        }
        res.status(r.status());
        List<String> h = r.headers();
        for (int i = 0; i < h.size(); i += 2) {
            res.header(h.get(i), h.get(i + 1));
        }
        if (r.file() != null) {
            res.sendFile(r.file(), r.position(), r.contentLength());
        } else if (r.text() != null) {
            res.contentType("text/plain; charset=utf-8").end(r.text() + "\n");
        } else if (r.contentLength() >= 0) {
            // HEAD: announce the length the GET would have, send nothing (RFC 9110 §9.3.2).
            res.header(HttpHeaders.CONTENT_LENGTH, Long.toString(r.contentLength())).end();
        } else {
            res.end(); // 304
        }
    }

    private static void failed(HttpRequest req, HttpResponse res, Throwable err) {
        if (res.isCommitted() || res.isEnded()) {
            return;
        }
        if (err instanceof OverloadException) {
            res.header(HttpHeaders.RETRY_AFTER, "1").sendError(503, "Service Unavailable");
            return;
        }
        LOG.log(Level.ERROR, "static file lookup for " + req + " failed; answering 500", err);
        res.sendError(500, "Internal Server Error");
    }
}
