package io.eventide.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.Promise;
import io.eventide.core.fs.FileEvent.Kind;
import io.eventide.core.fs.FsException.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directory watching: inotify events, drained by the watcher's thread, delivered on the loop. */
class DirectoryWatcherIT {
    @TempDir
    Path dir;

    @Test
    void createModifyAndDeleteArriveOnTheLoopInOrder() throws Exception {
        try (FsTesting t = new FsTesting("fs-watch")) {
            Path f = dir.resolve("watched.txt");
            List<FileEvent> seen = new ArrayList<>();
            List<String> threads = new ArrayList<>();
            CompletableFuture<Void> deleted = new CompletableFuture<>();
            DirectoryWatcher w = t.fs.watch(dir).join();
            t.onLoop(() -> {
                w.onEvent(e -> {
                    seen.add(e);
                    threads.add(Thread.currentThread().getName());
                    if (e.kind() == Kind.DELETED && e.path().equals(f)) {
                        deleted.complete(null);
                    }
                });
                return Promise.resolved(t.loop, null);
            });
            Files.writeString(f, "one");
            Files.writeString(f, "two");
            Files.delete(f);
            deleted.get(30, TimeUnit.SECONDS);
            w.close();
            List<FileEvent> events = t.onLoop(() -> Promise.resolved(t.loop, List.copyOf(seen)));
            assertThat(events).first().isEqualTo(new FileEvent(Kind.CREATED, f));
            assertThat(events).contains(new FileEvent(Kind.MODIFIED, f));
            assertThat(events).last().isEqualTo(new FileEvent(Kind.DELETED, f));
            assertThat(t.onLoop(() -> Promise.resolved(t.loop, List.copyOf(threads)))).containsOnly(t.loop.name());
            assertThat(w.isClosed()).isTrue();
        }
    }

    @Test
    void watchingAMissingDirectoryFailsWithEnoent() throws Exception {
        try (FsTesting t = new FsTesting("fs-watch-missing")) {
            assertThat(t.code(() -> t.fs.watch(dir.resolve("missing")))).isEqualTo(Code.ENOENT);
        }
    }
}
