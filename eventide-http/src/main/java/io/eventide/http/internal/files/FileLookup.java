package io.eventide.http.internal.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The blocking half of the static file handler: resolves a candidate path, stats it, evaluates the
 * request's preconditions and range, and opens the file only when bytes will be sent.
 *
 * <ol>
 *   <li>{@code toRealPath} resolves every symbolic link; the result must still start with the real
 *       root, else 404 (a link pointing out of the root is treated as absent, not as forbidden, so
 *       its existence is not revealed).</li>
 *   <li>A directory is redirected to its {@code /} form (so relative links in its index resolve
 *       inside it), then served through its index file, resolved and checked the same way.</li>
 *   <li>Anything but a regular file is 404: opening a FIFO would block a worker forever.</li>
 *   <li>Preconditions in the order of RFC 9110 §13.2.2: If-Match, If-Unmodified-Since (412),
 *       If-None-Match, and only without it If-Modified-Since (304), then Range with If-Range.</li>
 *   <li>The file is opened with {@code NOFOLLOW_LINKS}, so a last component swapped for a link
 *       after step 1 fails instead of escaping. A root writable by untrusted users is not
 *       supported: they could swap an inner directory too.</li>
 * </ol>
 *
 * <p><b>Threading:</b> worker only: every method blocks on the file system. Immutable, so one
 * instance serves all workers.
 */
public final class FileLookup {
    private static final String TEXT_404 = "Not Found";
    private final Path realRoot;
    private final String indexFile;
    private final String cacheControl;
    private final boolean redirectDirectories;

    /**
     * @param realRoot the root, already resolved with {@code toRealPath}
     * @param indexFile the file served for a directory, or null for none
     * @param cacheControl the {@code Cache-Control} value of files, or null for none
     * @param redirectDirectories whether to redirect {@code /dir} to {@code /dir/}
     */
    public FileLookup(Path realRoot, String indexFile, String cacheControl, boolean redirectDirectories) {
        this.realRoot = realRoot;
        this.indexFile = indexFile;
        this.cacheControl = cacheControl;
        this.redirectDirectories = redirectDirectories;
    }

    /**
     * @param r the request
     * @return the reply; a reply with a file hands an open channel to the caller
     * @throws IOException on an unexpected file system failure (the caller answers 500)
     */
    public FileReply lookup(FileRequest r) throws IOException {
        Path real;
        BasicFileAttributes a;
        try {
            real = inside(r.candidate().toRealPath());
            a = real == null ? null : Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a != null && a.isDirectory()) {
                if (redirectDirectories && !r.trailingSlash()) {
                    return FileReply.text(301, "Moved Permanently", "Location", r.redirectTarget());
                }
                real = indexFile == null ? null : inside(real.resolve(indexFile).toRealPath());
                a = real == null ? null : Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (AccessDeniedException e) {
            return FileReply.text(403, "Forbidden");
        } catch (FileSystemException e) {
            // No such file, "Not a directory" (a/file.txt/b), too many links: all mean absent.
            return FileReply.text(404, TEXT_404);
        }
        if (a == null || !a.isRegularFile()) {
            return FileReply.text(404, TEXT_404);
        }
        return respond(r, real, a);
    }

    private Path inside(Path real) {
        return real.startsWith(realRoot) ? real : null;
    }

    private FileReply respond(FileRequest r, Path file, BasicFileAttributes a) throws IOException {
        long size = a.size();
        long mtimeMillis = a.lastModifiedTime().toMillis();
        long lastModified = Math.floorDiv(mtimeMillis, 1000);
        String etag = Validators.etag(size, mtimeMillis);
        List<String> h = new ArrayList<>(12);
        h.add("ETag");
        h.add(etag);
        if (cacheControl != null) {
            h.add("Cache-Control");
            h.add(cacheControl);
        }
        int pre = preconditions(r, etag, lastModified);
        if (pre == 304) {
            // RFC 9110 §15.4.5: a 304 repeats ETag and Cache-Control; Last-Modified adds nothing then.
            return new FileReply(304, List.copyOf(h), null, null, 0, -1);
        }
        h.add("Last-Modified");
        h.add(Validators.httpDate(lastModified));
        if (pre == 412) {
            return new FileReply(412, List.copyOf(h), "Precondition Failed", null, 0, -1);
        }
        return ranged(r, file, size, etag, lastModified, h);
    }

    private FileReply ranged(FileRequest r, Path file, long size, String etag, long lastModified, List<String> h)
            throws IOException {
        ByteRanges.Range range = ByteRanges.FULL;
        // RFC 9110 §14.2: Range is ignored for every method but GET, so HEAD gets the 200 headers.
        if (!r.head() && r.range() != null && ifRange(r.ifRange(), etag, lastModified)) {
            range = ByteRanges.parse(r.range(), size);
        }
        if (range == ByteRanges.UNSATISFIABLE) {
            h.add("Content-Range");
            h.add("bytes */" + size); // RFC 9110 §14.4: tells the client the current length
            return new FileReply(416, List.copyOf(h), "Range Not Satisfiable", null, 0, -1);
        }
        h.add("Content-Type");
        h.add(MimeTypes.forFileName(file.getFileName().toString()));
        h.add("Accept-Ranges");
        h.add("bytes");
        int status = 200;
        long first = 0;
        long count = size;
        if (range.isPartial()) {
            status = 206;
            first = range.first();
            count = range.length();
            h.add("Content-Range");
            h.add("bytes " + range.first() + "-" + range.last() + "/" + size);
        }
        FileChannel ch = r.head() ? null : FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        return new FileReply(status, List.copyOf(h), null, ch, first, count);
    }

    /** {@return 412, 304, or 0 to go on} (RFC 9110 §13.2.2 steps 1 to 4, for GET and HEAD) */
    static int preconditions(FileRequest r, String etag, long lastModified) {
        if (r.ifMatch() != null) {
            if (!r.ifMatch().trim().equals("*") && !Validators.anyMatchesStrong(r.ifMatch(), etag)) {
                return 412;
            }
        } else {
            long since = Validators.parseHttpDate(r.ifUnmodifiedSince());
            if (since != Long.MIN_VALUE && lastModified > since) {
                return 412;
            }
        }
        if (r.ifNoneMatch() != null) {
            // Step 3, and If-Modified-Since is then ignored entirely (§13.1.3): the tag is more precise.
            return Validators.anyMatchesWeak(r.ifNoneMatch(), etag) ? 304 : 0;
        }
        long since = Validators.parseHttpDate(r.ifModifiedSince());
        return since != Long.MIN_VALUE && lastModified <= since ? 304 : 0;
    }

    /** {@return whether the range may be applied} (RFC 9110 §13.1.5) */
    private static boolean ifRange(String ifRange, String etag, long lastModified) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return Validators.anyMatchesStrong(v, etag); // strong comparison: our weak tag never passes
        }
        // A date must equal Last-Modified exactly and be a strong validator: per §8.8.2.2 that holds
        // once the modification second has passed, so no second change within it can go unseen.
        long date = Validators.parseHttpDate(v);
        return date == lastModified && lastModified < Math.floorDiv(System.currentTimeMillis(), 1000);
    }
}
