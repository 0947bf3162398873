package io.eventide.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permission denied, honestly. The suite runs as root, and root passes every permission check
 * (CAP_DAC_OVERRIDE), so mode bits alone prove nothing here. This test runs the operations in a
 * child JVM started through {@code setpriv} as the unprivileged user {@code nobody} (uid 65534)
 * with no groups and no capabilities, against files owned by root with modes that deny it: the
 * kernel answers EACCES exactly as it would to any normal user. Without setpriv, or if the child
 * cannot start, the test fails with that reason.
 */
class PermissionDeniedIT {
    @TempDir
    Path tmp;

    @Test
    void operationsDeniedByModeBitsFailWithEacces() throws Exception {
        // The child must be able to reach the fixtures' parent and read its own classes.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "root only");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path privateDir = Files.createDirectory(tmp.resolve("private"));
        Files.writeString(privateDir.resolve("inner.txt"), "x");
        Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
        Path readOnlyDir = Files.createDirectory(tmp.resolve("readonly"));
        Files.writeString(readOnlyDir.resolve("keep.txt"), "x");
        Files.setPosixFilePermissions(readOnlyDir, PosixFilePermissions.fromString("r-xr-xr-x"));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of("target/classes").toAbsolutePath() + ":" + Path.of("target/test-classes").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", java, "-XX:-UsePerfData", "-Xshare:auto", "-cp", cp,
                PermissionProbe.class.getName(), secret.toString(), privateDir.toString(), readOnlyDir.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("this test needs setpriv (util-linux) to run a child as 'nobody': " + e, e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("child JVM as nobody; its output:%n%s", out).isZero();
        assertThat(out.lines().filter(l -> l.contains("="))).containsExactly(
                "readFile=EACCES",
                "open-write=EACCES",
                "appendFile=EACCES",
                "list=EACCES",
                "writeFile-in-readonly-dir=EACCES",
                "mkdir-in-readonly-dir=EACCES",
                "delete-in-readonly-dir=EACCES",
                "stat-through-private-dir=EACCES",
                "readStream=EACCES",
                "writeStream=EACCES");
        // The same operations as root succeed: the denial came from the user, not from the files.
        assertThat(Files.readString(secret)).isEqualTo("root only");
    }
}
