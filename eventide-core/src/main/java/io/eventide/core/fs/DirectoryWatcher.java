package io.eventide.core.fs;

import io.eventide.core.EventLoop;
import io.eventide.core.LoopClosedException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Watches one directory ({@link FileSystem#watch}): Node's {@code fs.watch}. A JDK
 * {@link WatchService} (inotify on Linux) is drained by a thread of its own,
 * {@code eventide-fs-watch-<dir>}, which hands every event to the loop; {@link #onEvent} runs there.
 * Events that arrive before a handler is set are kept (up to {@value #MAX_PENDING}, then one
 * {@link FileEvent.Kind#OVERFLOW}) and delivered when it is set.
 *
 * <pre>
 *   kernel ──inotify──► WatchService ──eventide-fs-watch: take()──► loop.execute ──► onEvent(event)
 * </pre>
 *
 * <p>Only the directory's own entries are watched, not its subdirectories. Events may be
 * coalesced or repeated (two MODIFIED for one write); treat them as hints to look again.
 *
 * <p><b>Threading:</b> loop-confined ({@link #onEvent}); {@link #close()} may be called from any
 * thread. Events are delivered on the loop of the {@link FileSystem} that started the watch.
 */
public final class DirectoryWatcher implements AutoCloseable {
    /** Events kept while no handler is set. */
    public static final int MAX_PENDING = 1024;
    private static final System.Logger LOG = System.getLogger("io.eventide.fs");

    private final EventLoop loop;
    private final Path dir;
    private final WatchService service;
    private final Thread thread;
    private final List<FileEvent> early = new ArrayList<>(); // loop-confined
    private Consumer<FileEvent> handler; // loop-confined
    private volatile boolean closed;

    private DirectoryWatcher(EventLoop loop, Path dir, WatchService service) {
        this.loop = loop;
        this.dir = dir;
        this.service = service;
        this.thread = new Thread(this::drain, "eventide-fs-watch-" + dir.getFileName());
        this.thread.setDaemon(true);
    }

    /** On a file-pool thread: registers the directory and starts the draining thread. */
    static DirectoryWatcher start(EventLoop loop, Path dir) throws IOException {
        WatchService ws = dir.getFileSystem().newWatchService();
        try {
            dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            ws.close();
            throw e;
        }
        DirectoryWatcher w = new DirectoryWatcher(loop, dir, ws);
        w.thread.start();
        return w;
    }

    /**
     * @param h receives every event, on the loop; events seen before this call are delivered now
     * @return this watcher
     */
    public DirectoryWatcher onEvent(Consumer<FileEvent> h) {
        if (!loop.inLoop()) {
            throw new IllegalStateException("onEvent must be called on " + loop.name());
        }
        handler = Objects.requireNonNull(h, "h");
        List<FileEvent> backlog = new ArrayList<>(early);
        early.clear();
        for (FileEvent e : backlog) {
            h.accept(e);
        }
        return this;
    }

    /** @return the watched directory */
    public Path directory() {
        return dir;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /** Stops watching; no event is delivered after the loop has seen this. Any thread. */
    @Override
    public void close() {
        closed = true;
        try {
            service.close(); // wakes the draining thread out of take()
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the watch service of " + dir + " failed", e);
        }
    }

    private void drain() {
        try {
            while (!closed) {
                WatchKey key = service.take(); // blocking-ok (eventide-fs-watch thread)
                List<FileEvent> batch = new ArrayList<>();
                for (WatchEvent<?> ev : key.pollEvents()) {
                    batch.add(toEvent(ev));
                }
                boolean valid = key.reset();
                if (!batch.isEmpty()) {
                    loop.execute(() -> deliver(batch));
                }
                if (!valid) {
                    // The directory itself is gone: report it and stop.
                    loop.execute(() -> deliver(List.of(new FileEvent(FileEvent.Kind.DELETED, dir))));
                    close();
                }
            }
        } catch (ClosedWatchServiceException | LoopClosedException e) {
            // Closed by close(), or the loop ended: either way, watching is over.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FileEvent toEvent(WatchEvent<?> ev) {
        WatchEvent.Kind<?> k = ev.kind();
        if (k == StandardWatchEventKinds.OVERFLOW || !(ev.context() instanceof Path p)) {
            return new FileEvent(FileEvent.Kind.OVERFLOW, dir);
        }
        FileEvent.Kind kind = k == StandardWatchEventKinds.ENTRY_CREATE ? FileEvent.Kind.CREATED
                : k == StandardWatchEventKinds.ENTRY_DELETE ? FileEvent.Kind.DELETED : FileEvent.Kind.MODIFIED;
        return new FileEvent(kind, dir.resolve(p));
    }

    private void deliver(List<FileEvent> batch) {
        for (FileEvent e : batch) {
            if (closed) {
                return;
            }
            if (handler != null) {
                handler.accept(e);
            } else if (early.size() < MAX_PENDING) {
                early.add(e);
            } else if (early.get(early.size() - 1).kind() != FileEvent.Kind.OVERFLOW) {
                early.set(early.size() - 1, new FileEvent(FileEvent.Kind.OVERFLOW, dir));
            }
        }
    }

    @Override
    public String toString() {
        return "DirectoryWatcher[" + dir + (closed ? ", closed" : "") + "]";
    }
}
