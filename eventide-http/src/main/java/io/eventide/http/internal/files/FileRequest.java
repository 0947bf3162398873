package io.eventide.http.internal.files;

import java.nio.file.Path;

/**
 * What the worker needs to know about a request for a file, copied off the request on the loop so
 * the worker never touches the loop-confined {@code HttpRequest}.
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param head whether the method is HEAD (no file is opened then)
 * @param candidate the path under the root, not yet checked against symbolic links
 * @param trailingSlash whether the request path ended with {@code /}
 * @param redirectTarget where a directory requested without its trailing slash is redirected
 * @param ifMatch the {@code If-Match} value, or null
 * @param ifNoneMatch the {@code If-None-Match} value, or null
 * @param ifModifiedSince the {@code If-Modified-Since} value, or null
 * @param ifUnmodifiedSince the {@code If-Unmodified-Since} value, or null
 * @param range the {@code Range} value, or null
 * @param ifRange the {@code If-Range} value, or null
 */
public record FileRequest(boolean head, Path candidate, boolean trailingSlash, String redirectTarget,
        String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince,
        String range, String ifRange) {
}
