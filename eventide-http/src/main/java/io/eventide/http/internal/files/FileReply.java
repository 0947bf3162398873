package io.eventide.http.internal.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The answer a worker prepared for a file request: status, headers, and either an open file
 * region, a short text, or nothing (304, or HEAD with {@code contentLength} announced).
 *
 * <p><b>Threading:</b> immutable once built on the worker; handed to the loop through a promise,
 * which then owns {@code file} and must send or {@link #closeFile() close} it.
 *
 * @param status the status
 * @param headers name, value, name, value ...
 * @param text a short text/plain body, or null
 * @param file the open file to send, or null
 * @param position first byte of {@code file} to send
 * @param contentLength bytes of {@code file} to send, or to announce for HEAD; -1 if none
 */
public record FileReply(int status, List<String> headers, String text, FileChannel file, long position,
        long contentLength) {

    /**
     * @param status an error or redirect status
     * @param text the body
     * @param headers extra headers, name, value ...
     * @return a reply without a file
     */
    public static FileReply text(int status, String text, String... headers) {
        return new FileReply(status, List.of(headers), text, null, 0, -1);
    }

    /** Closes {@code file}, if any: for replies that can no longer be sent. */
    public void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // A file opened only for reading: closing it cannot lose data, nothing to report.
            }
        }
    }
}
