package io.eventide.http;

import io.eventide.core.EventLoop;
import io.eventide.core.Promise;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Multipart#upload} produced: the plain fields, in order, and the stored files, in the
 * order their parts arrived.
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param fields field name to its values (a name may repeat, as with checkboxes)
 * @param files the file parts
 */
public record MultipartResult(Map<String, List<String>> fields, List<UploadedFile> files) {
    /** Copies the collections, keeping their order, so the value is immutable. */
    public MultipartResult {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        fields = Collections.unmodifiableMap(copy);
        files = List.copyOf(files);
    }

    /** @param name field name @return its first value, or null */
    public String field(String name) {
        List<String> v = fields.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** @param name field name of a file input @return the first file sent under it, or null */
    public UploadedFile file(String name) {
        for (UploadedFile f : files) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Deletes every stored file, on a worker.
     *
     * @param loop where the result is delivered (usually {@code req.loop()})
     * @return completes once all are deleted; fails with the first I/O error
     */
    public Promise<Void> deleteFiles(EventLoop loop) {
        return loop.offload(() -> {
            IOException first = null;
            for (UploadedFile f : files) {
                try {
                    Files.deleteIfExists(f.path());
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
            return null;
        });
    }
}
