package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./eventide} launcher's own words, run as a user would (none of these commands builds
 * anything): the help text, a JAVA_HOME that is too old, an unknown command.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "eventide").toAbsolutePath().normalize();

    record Result(int status, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(LAUNCHER.getParent().toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void helpPrintsTheUsageAndNothingElse() throws Exception {
        Result r = run(Map.of(), "help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Eventide launcher:")
                .doesNotContain("\u001b", "USAGE-", "set -euo")
                .contains("./eventide run ", "./eventide demo", "./eventide cluster", "./eventide test", "./eventide bench",
                        "./eventide install", "./eventide build", "./eventide docs", "./eventide java", "./eventide help");
        assertThat(r.out().lines()).as("no shell lines or comment markers leak into the help")
                .noneMatch(l -> l.startsWith("#") || l.startsWith("set ") || l.contains("$("));
        assertThat(r.err()).doesNotContain("\u001b");
    }

    @Test
    void aJavaHomeThatIsTooOldIsReported(@TempDir Path dir) throws Exception {
        Path jdk = fakeJdk(dir.resolve("jdk-17"), "17.0.9");
        Result r = run(Map.of("JAVA_HOME", jdk.toString()), "help");
        assertThat(r.err()).contains("JAVA_HOME=" + jdk + " is JDK 17, not a JDK >= 21");
        assertThat(r.status()).as("a newer JDK on this machine is used instead, and said so").isZero();
    }

    @Test
    void aJavaHomeThatIsNoJdkIsReported(@TempDir Path dir) throws Exception {
        Path notJdk = Files.createDirectories(dir.resolve("not-a-jdk"));
        Result r = run(Map.of("JAVA_HOME", notJdk.toString()), "help");
        assertThat(r.err()).contains("JAVA_HOME=" + notJdk + " is not a JDK >= 21");
    }

    @Test
    void anUnknownCommandSaysWhereHelpIs() throws Exception {
        Result r = run(Map.of(), "frobnicate");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("unknown command 'frobnicate' (try: ./eventide help)");
    }

    /** A directory that looks like a JDK of the given version: its release file and two executables. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        for (String tool : List.of("java", "javac")) {
            Path f = bin.resolve(tool);
            Files.writeString(f, "#!/bin/sh\necho 'openjdk version \"" + version + "\"' >&2\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }
}
