package io.eventide.http;

import java.nio.file.Path;

/**
 * A file part of a {@code multipart/form-data} upload, stored in a temporary file by
 * {@link Multipart#upload}. The application owns the file: move it where it belongs or delete it
 * ({@link MultipartResult#deleteFiles}); nothing removes it on success.
 *
 * <p><b>Threading:</b> immutable value; any thread. Moving or deleting {@link #path()} blocks: do
 * it with {@code loop.offload}.
 *
 * @param name the form field name
 * @param filename the file name the client gave, without directories; client input, never use it
 *     as a path as is
 * @param contentType the part's Content-Type as sent ({@code text/plain} if none, RFC 7578 §4.4)
 * @param path the temporary file holding the bytes (owner-only permissions where POSIX)
 * @param size its length in bytes
 * @param sha256 the SHA-256 of the bytes, lowercase hex, computed while they were written
 */
public record UploadedFile(String name, String filename, String contentType, Path path, long size, String sha256) {
}
