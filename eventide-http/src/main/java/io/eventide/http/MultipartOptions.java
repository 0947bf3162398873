package io.eventide.http;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of {@link Multipart#upload}. Every limit is checked while the body streams, and a breach
 * fails the upload with an {@link HttpException} naming the limit, after the temporary files are
 * deleted.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>setting</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>maxFileBytes: one file part</td><td>{@value #DEFAULT_MAX_FILE_BYTES}</td><td>413</td></tr>
 *   <tr><td>maxTotalBytes: the whole body; raises (or lowers) {@link HttpRequest#maxBodyBytes(long)}
 *       for this request, -1 keeps the server's {@link HttpOptions#maxBodyBytes()}</td><td>-1</td>
 *       <td>413, answered by the server, which closes the connection</td></tr>
 *   <tr><td>maxParts: parts, fields and files together</td><td>{@value #DEFAULT_MAX_PARTS}</td><td>413</td></tr>
 *   <tr><td>maxFieldBytes: one non-file field, held in memory</td><td>{@value #DEFAULT_MAX_FIELD_BYTES}</td>
 *       <td>413</td></tr>
 *   <tr><td>maxPartHeaderBytes: one part's header section</td><td>{@value #DEFAULT_MAX_PART_HEADER_BYTES}</td>
 *       <td>413</td></tr>
 * </table>
 *
 * <p>Memory per upload is bounded whatever these limits are: fields up to
 * {@code maxParts * maxFieldBytes}, and for file data a few write buffers of at most 256 KiB.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param tempDir directory of the temporary files (default: {@code java.io.tmpdir}); should be on
 *     the file system the files are finally moved to, so that a move is a rename
 * @param maxFileBytes limit on one file part
 * @param maxTotalBytes limit on the whole body, or -1 for the request's current limit
 * @param maxParts limit on the number of parts
 * @param maxFieldBytes limit on one field's value
 * @param maxPartHeaderBytes limit on one part's headers
 */
public record MultipartOptions(Path tempDir, long maxFileBytes, long maxTotalBytes, int maxParts, int maxFieldBytes,
        int maxPartHeaderBytes) {

    /** Default limit on one file: 64 MiB, the server's default body limit. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** Default limit on parts. */
    public static final int DEFAULT_MAX_PARTS = 100;
    /** Default limit on one field: 64 KiB. */
    public static final int DEFAULT_MAX_FIELD_BYTES = 64 * 1024;
    /** Default limit on one part's headers: 8 KiB. */
    public static final int DEFAULT_MAX_PART_HEADER_BYTES = 8 * 1024;

    /** Validates the settings. */
    public MultipartOptions {
        Objects.requireNonNull(tempDir, "tempDir");
        if (maxFileBytes < 0 || maxTotalBytes < -1 || maxParts < 1 || maxFieldBytes < 0 || maxPartHeaderBytes < 16) {
            throw new IllegalArgumentException("invalid multipart limits: maxFileBytes=" + maxFileBytes
                    + " maxTotalBytes=" + maxTotalBytes + " maxParts=" + maxParts + " maxFieldBytes=" + maxFieldBytes
                    + " maxPartHeaderBytes=" + maxPartHeaderBytes);
        }
    }

    /** @return the defaults (see the table above) */
    public static MultipartOptions defaults() {
        return new MultipartOptions(Path.of(System.getProperty("java.io.tmpdir")), DEFAULT_MAX_FILE_BYTES, -1,
                DEFAULT_MAX_PARTS, DEFAULT_MAX_FIELD_BYTES, DEFAULT_MAX_PART_HEADER_BYTES);
    }

    /** @param dir directory of temporary files @return a copy with it */
    public MultipartOptions tempDir(Path dir) {
        return new MultipartOptions(dir, maxFileBytes, maxTotalBytes, maxParts, maxFieldBytes, maxPartHeaderBytes);
    }

    /** @param n limit on one file part @return a copy with it */
    public MultipartOptions maxFileBytes(long n) {
        return new MultipartOptions(tempDir, n, maxTotalBytes, maxParts, maxFieldBytes, maxPartHeaderBytes);
    }

    /** @param n limit on the whole body, -1 for the request's own @return a copy with it */
    public MultipartOptions maxTotalBytes(long n) {
        return new MultipartOptions(tempDir, maxFileBytes, n, maxParts, maxFieldBytes, maxPartHeaderBytes);
    }

    /** @param n limit on parts @return a copy with it */
    public MultipartOptions maxParts(int n) {
        return new MultipartOptions(tempDir, maxFileBytes, maxTotalBytes, n, maxFieldBytes, maxPartHeaderBytes);
    }

    /** @param n limit on one field @return a copy with it */
    public MultipartOptions maxFieldBytes(int n) {
        return new MultipartOptions(tempDir, maxFileBytes, maxTotalBytes, maxParts, n, maxPartHeaderBytes);
    }

    /** @param n limit on one part's headers @return a copy with it */
    public MultipartOptions maxPartHeaderBytes(int n) {
        return new MultipartOptions(tempDir, maxFileBytes, maxTotalBytes, maxParts, maxFieldBytes, n);
    }
}
