package io.eventide.http.internal.multipart;

import io.eventide.http.UploadedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The temporary file of one file part, with its running size and SHA-256. Hashing happens here, on
 * the worker that writes, so a 1 GiB upload costs the loop nothing but copying bytes.
 *
 * <p><b>Threading:</b> worker only, one task at a time: {@link UploadWriter} submits the next task
 * on this target only after the loop observed the previous one complete (through its promise), so
 * each task's writes happen-before the next task's reads, and before the loop reads
 * {@link #toUploadedFile()} after the close task.
 */
final class FileTarget {
    private final PartHead head;
    private final Path dir;
    private Path path;
    private FileChannel channel;
    private MessageDigest sha;
    private long size;
    private String hex;

    FileTarget(PartHead head, Path dir) {
        this.head = head;
        this.dir = dir;
    }

    void open() throws IOException {
        // createTempFile picks an unguessable name and, on POSIX, owner-only permissions.
        path = Files.createTempFile(dir, "upload-", ".part");
        channel = FileChannel.open(path, StandardOpenOption.WRITE);
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** @param b a heap buffer in read mode; consumed */
    void write(ByteBuffer b) throws IOException {
        sha.update(b.array(), b.arrayOffset() + b.position(), b.remaining());
        size += b.remaining();
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    void close() throws IOException {
        FileChannel c = channel;
        channel = null;
        c.close();
        hex = HexFormat.of().formatHex(sha.digest());
    }

    /** Closes and deletes the file, whatever state it is in; never throws. */
    void discard() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // The file is deleted next: what it held does not matter any more.
        }
        channel = null;
        try {
            if (path != null) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.getLogger("io.eventide.http").log(System.Logger.Level.WARNING,
                    "could not delete temporary upload file " + path, e);
        }
    }

    UploadedFile toUploadedFile() {
        return new UploadedFile(head.name(), head.filename(), head.contentType(), path, size, hex);
    }
}
