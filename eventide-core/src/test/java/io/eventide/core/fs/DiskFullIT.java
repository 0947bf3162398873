package io.eventide.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.BufferPool;
import io.eventide.core.Promise;
import io.eventide.core.fs.FsException.Code;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the test mounts a 1 MiB tmpfs ({@code mount -t tmpfs -o size=1m}), which
 * needs root (CAP_SYS_ADMIN); it fails with the mount's own message when that is not possible,
 * rather than skipping. Writes past the size get ENOSPC from the kernel.
 */
class DiskFullIT {
    @TempDir
    Path tmp;
    private Path mnt;
    private FsTesting t;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mnt = Files.createDirectory(tmp.resolve("tiny"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("this test simulates a full disk with a 1 MiB tmpfs and must be able to mount one "
                + "(run as root with CAP_SYS_ADMIN); mount said: %s", out).isZero();
        t = new FsTesting("fs-full");
    }

    @AfterEach
    void unmount() throws Exception {
        try {
            if (t != null) {
                t.close();
            }
        } finally {
            Process p = new ProcessBuilder("umount", mnt.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("umount: %s", out).isTrue();
        }
    }

    @Test
    void wholeFileWritesAndAppendsFailWithEnospc() {
        FsException e = t.fsFailure(() -> t.fs.writeFile(mnt.resolve("big.bin"), new byte[2 * 1024 * 1024]));
        assertThat(e.code()).isEqualTo(Code.ENOSPC);
        assertThat(e.getMessage()).contains("ENOSPC", "big.bin");
        assertThat(t.code(() -> t.fs.appendFile(mnt.resolve("big.bin"), new byte[64 * 1024]))).isEqualTo(Code.ENOSPC);
        // The disk is full, not broken: deleting frees it and a small write works again.
        t.fs.delete(mnt.resolve("big.bin")).join();
        t.fs.writeString(mnt.resolve("small.txt"), "fits").join();
        assertThat(t.fs.readString(mnt.resolve("small.txt")).join()).isEqualTo("fits");
    }

    @Test
    void aWriteStreamFillingTheDiskFailsOnceAndReleasesItsBuffers() {
        long outstandingBefore = BufferPool.outstandingTotal();
        Object[] outcome = t.onLoop(() -> {
            Promise<Object[]> done = t.loop.promise();
            FileWriteStream out = t.fs.writeStream(mnt.resolve("stream.bin"));
            Throwable[] closedWith = {null};
            int[] closes = {0};
            out.onClose(c -> {
                closes[0]++;
                closedWith[0] = c;
            });
            byte[] chunk = new byte[64 * 1024];
            long[] offered = {0};
            Runnable pump = new Runnable() {
                @Override
                public void run() {
                    // Offer 4 MiB in all; the tmpfs holds 1 MiB.
                    while (offered[0] < 4L * 1024 * 1024) {
                        offered[0] += chunk.length;
                        if (!out.write(ByteBuffer.wrap(chunk))) {
                            return; // wait for the drain (which never comes once the disk is full)
                        }
                    }
                    out.end();
                }
            };
            out.onDrain(pump);
            pump.run();
            out.finished().whenComplete((n, err) -> done.resolve(new Object[] {err, closes[0], closedWith[0],
                    out.write(ByteBuffer.wrap(chunk))}));
            return done;
        });
        assertThat(outcome[0]).isInstanceOf(FsException.class);
        assertThat(((FsException) outcome[0]).code()).isEqualTo(Code.ENOSPC);
        assertThat(outcome[1]).as("onClose ran once").isEqualTo(1);
        assertThat(outcome[2]).isSameAs(outcome[0]);
        assertThat(outcome[3]).as("writes after the failure are refused").isEqualTo(false);
        assertThat(BufferPool.outstandingTotal()).as("no pooled buffer kept by the failed stream")
                .isEqualTo(outstandingBefore);
    }
}
