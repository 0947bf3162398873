package io.eventide.demo;

import io.eventide.core.EventLoop;
import io.eventide.http.HttpException;
import io.eventide.http.HttpRequest;
import io.eventide.http.HttpResponse;
import io.eventide.http.sse.Sse;
import io.eventide.http.sse.SseStream;
import io.eventide.http.topic.LocalTopic;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Uploads streamed to disk with the server's own progress pushed back to the browser: the body is
 * written chunk by chunk through an {@link AsynchronousFileChannel} (the request is paused while a
 * write is outstanding, so memory stays flat whatever the size), hashed with SHA-256 on the way,
 * and the byte count the server has received is published to the upload's topic, which the page
 * follows over Server-Sent Events.
 *
 * <p><b>Threading:</b> request callbacks run on the request's loop; file-write completions arrive
 * on JDK threads and hop back to the loop with {@link EventLoop#execute}.
 */
public final class Uploads {
    /** One finished upload. */
    public record Stored(String name, long size, String sha256) {
    }

    private final Path dir;
    private final ConcurrentHashMap<String, LocalTopic<String>> progress = new ConcurrentHashMap<>();
    private final List<Stored> stored = new CopyOnWriteArrayList<>();

    /** @param dir where uploads are stored */
    public Uploads(Path dir) {
        this.dir = dir;
    }

    /** @return finished uploads, newest last */
    public List<Stored> stored() {
        return stored;
    }

    /** GET /demo/upload-progress?id=X: an event stream of "received/total" for upload X. */
    public void follow(HttpRequest req, HttpResponse res) {
        String id = id(req);
        SseStream stream = Sse.start(req, res);
        topic(id).subscribe(stream);
    }

    private LocalTopic<String> topic(String id) {
        return progress.computeIfAbsent(id, LocalTopic::create);
    }

    private static String id(HttpRequest req) {
        String id = req.queryParam("id");
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new HttpException(400, "id must be 1-64 letters, digits, '-' or '_'");
        }
        return id;
    }

    /** POST /demo/upload?id=X&amp;name=file: the raw body is the file. */
    public void upload(HttpRequest req, HttpResponse res) throws IOException {
        String id = id(req);
        String name = Path.of(req.queryParam("name") == null ? "upload.bin" : req.queryParam("name"))
                .getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        req.maxBodyBytes(4L * 1024 * 1024 * 1024);
        req.pause(); // until the file is open
        EventLoop loop = req.loop();
        loop.offload(() -> {
            Files.createDirectories(dir);
            return AsynchronousFileChannel.open(dir.resolve(id + "-" + name), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }).onSuccess(file -> new Writer(req, res, file, name, topic(id)).start())
                .onFailure(err -> res.sendError(500, "cannot store the upload"));
    }

    /** Streams one request body into one file. Loop-confined, except the write completions. */
    private final class Writer implements CompletionHandler<Integer, Writer.Pending> {
        /** One chunk in flight: its bytes (position 0 = file offset {@code start}). */
        record Pending(ByteBuffer buf, long start) {
        }

        private final HttpRequest req;
        private final HttpResponse res;
        private final AsynchronousFileChannel file;
        private final String name;
        private final LocalTopic<String> topic;
        private final MessageDigest sha;
        private long position;
        private boolean writing;
        private boolean ended;
        private long lastPublished = -1;

        Writer(HttpRequest req, HttpResponse res, AsynchronousFileChannel file, String name, LocalTopic<String> topic) {
            this.req = req;
            this.res = res;
            this.file = file;
            this.name = name;
            this.topic = topic;
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void start() {
            req.onProgress(this::progress);
            req.onError(err -> close());
            req.onData(chunk -> {
                ByteBuffer copy = ByteBuffer.allocate(chunk.remaining());
                copy.put(chunk).flip();
                sha.update(copy.duplicate());
                writing = true;
                req.pause(); // one write in flight at a time: the socket waits, memory stays flat
                long start = position;
                position += copy.remaining(); // before write(): the buffer may be drained at once
                file.write(copy, start, new Pending(copy, start), this);
            });
            req.onEnd(() -> {
                ended = true;
                finishIfDone();
            });
            req.resume();
        }

        private void progress(long received, long total) {
            // At most ~200 events per upload: each percent, plus the last byte.
            long step = total > 0 ? Math.max(1, total / 200) : 1 << 20;
            if (received - lastPublished >= step || received == total) {
                lastPublished = received;
                topic.publish("{\"received\":" + received + ",\"total\":" + total + "}");
            }
        }

        @Override
        public void completed(Integer n, Pending p) {
            req.loop().execute(() -> {
                if (p.buf().hasRemaining()) {
                    file.write(p.buf(), p.start() + p.buf().position(), p, this);
                    return;
                }
                writing = false;
                if (ended) {
                    finishIfDone();
                } else {
                    req.resume();
                }
            });
        }

        @Override
        public void failed(Throwable t, Pending p) {
            req.loop().execute(() -> {
                close();
                if (!res.isCommitted()) {
                    res.sendError(500, "write failed");
                }
            });
        }

        private void finishIfDone() {
            if (writing || res.isEnded()) {
                return;
            }
            close();
            String hex = HexFormat.of().formatHex(sha.digest());
            Stored s = new Stored(name, position, hex);
            stored.add(s);
            topic.publish("{\"received\":" + position + ",\"total\":" + position + ",\"done\":true,\"sha256\":\"" + hex + "\"}");
            res.contentType("application/json").end("{\"name\":" + JsonText.quote(name) + ",\"size\":" + position
                    + ",\"sha256\":\"" + hex + "\"}");
        }

        private void close() {
            try {
                file.close();
            } catch (IOException e) {
                // Nothing more to write; a failing close of a finished file loses nothing.
            }
        }
    }
}
