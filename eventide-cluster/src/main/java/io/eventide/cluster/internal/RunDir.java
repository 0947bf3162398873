package io.eventide.cluster.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A cluster's run directory: its control socket and its Prometheus targets file, private to the
 * user (0700), refused while another live supervisor owns the name, removed when the cluster stops.
 *
 * <p><b>Threading:</b> the supervisor thread.
 */
final class RunDir {
    private final Path dir;

    RunDir(Path dir) {
        this.dir = dir;
    }

    Path socket() {
        return dir.resolve("control.sock");
    }

    Path path() {
        return dir;
    }

    void create(String name) throws IOException {
        Files.createDirectories(dir.getParent());
        if (Files.exists(socket()) && ControlClient.isLive(socket())) {
            throw new IOException("a cluster named '" + name + "' is already running (" + socket() + ")");
        }
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the socket is as private as its directory can be made there.
        }
    }

    void remove() throws IOException {
        Files.deleteIfExists(dir.resolve(StatusReport.TARGETS_FILE));
        Files.deleteIfExists(socket());
        Files.deleteIfExists(dir);
    }

    /** @return the kernel's {@code net.ipv4.tcp_migrate_req} (0, 1, or "absent" on kernels without it) */
    static String migrateReq() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req")).trim();
        } catch (IOException e) {
            return "absent";
        }
    }
}
