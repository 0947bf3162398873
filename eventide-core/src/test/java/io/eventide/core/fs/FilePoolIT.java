package io.eventide.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.eventide.core.OverloadException;
import io.eventide.core.Promise;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file pool is bounded and separate: a call blocked in the kernel (opening a FIFO nobody writes
 * to) holds its thread, the queue fills, and the next call is refused at once with
 * {@link OverloadException} instead of queueing without bound; the offload pool is not touched.
 */
class FilePoolIT {
    @TempDir
    Path dir;

    @Test
    void aFullQueueRefusesAtOnceAndTheQueueDepthIsVisible() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).as("mkfifo exit code").isZero();
        Files.writeString(dir.resolve("plain.txt"), "plain");
        try (FsTesting t = new FsTesting("fs-pool"); FilePool tiny = FilePool.create("fs-tiny", 1, 1)) {
            FileSystem fs = FileSystem.of(t.loop, tiny);
            // The single thread takes the first call as its first task, so the second is the one
            // queued and the third finds the queue full, whatever the timing.
            List<Promise<String>> calls = new ArrayList<>();
            Throwable e = t.onLoop(() -> {
                calls.add(fs.readString(fifo));
                calls.add(fs.readString(dir.resolve("plain.txt")));
                return fs.readString(dir.resolve("plain.txt")).map(v -> (Throwable) null).recover(err -> err);
            });
            Promise<String> blocked = calls.get(0);
            Promise<String> queued = calls.get(1);
            assertThat(tiny.queued()).isEqualTo(1);
            assertThat(e).isInstanceOf(OverloadException.class).hasMessageContaining("fs-tiny-queue = 1");
            assertThat(tiny.rejected()).isEqualTo(1);
            assertThat(t.group.workers().completed()).as("offload pool untouched").isZero();

            try (FileOutputStream w = new FileOutputStream(fifo.toFile())) { // unblocks the reader's open
                w.write("through the fifo".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(blocked.join(Duration.ofSeconds(30))).isEqualTo("through the fifo");
            assertThat(queued.join(Duration.ofSeconds(30))).isEqualTo("plain");
            assertThat(tiny.completed()).isEqualTo(2);
        }
    }

    @Test
    void eachGroupSharesOnePoolThatCannotBeClosedByHand() throws Exception {
        try (FsTesting t = new FsTesting("fs-shared")) {
            FilePool p = FilePool.of(t.group);
            assertThat(FilePool.of(t.group)).isSameAs(p);
            assertThat(FileSystem.of(t.loop).pool()).isSameAs(p);
            assertThat(p.threads()).isEqualTo(FilePool.DEFAULT_THREADS);
            assertThat(p.queueCapacity()).isEqualTo(FilePool.DEFAULT_QUEUE);
            assertThat(catchThrowable(p::close)).isInstanceOf(IllegalStateException.class);
        }
    }
}
