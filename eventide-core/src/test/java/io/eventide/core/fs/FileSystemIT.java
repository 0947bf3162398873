package io.eventide.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.core.fs.FsException.Code;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@link FileSystem} operation against the real file system, with its failures. */
class FileSystemIT {
    @TempDir
    Path dir;
    private FsTesting t;
    private FileSystem fs;

    @BeforeEach
    void start() {
        t = new FsTesting("fs-it");
        fs = t.fs;
    }

    @AfterEach
    void stop() throws Exception {
        t.close();
    }

    @Test
    void wholeFilesRoundTripAsBytesAndUtf8AndSettleOnTheCallersLoop() {
        Path f = dir.resolve("a.txt");
        fs.writeString(f, "héllo ").join();
        fs.appendString(f, "wörld").join();
        fs.appendFile(f, new byte[] {'!'}).join();
        assertThat(fs.readString(f).join()).isEqualTo("héllo wörld!");
        assertThat(fs.readFile(f).join()).isEqualTo("héllo wörld!".getBytes(StandardCharsets.UTF_8));

        String settledOn = fs.readFile(f).map(b -> Thread.currentThread().getName()).join();
        assertThat(settledOn).isEqualTo(t.loop.name());
        String ranOn = fs.call("probe", f, () -> Thread.currentThread().getName()).join();
        assertThat(ranOn).startsWith("eventide-fs-").doesNotContain("worker");

        fs.writeFile(f, new byte[] {1, 2}).join(); // truncates
        assertThat(fs.readFile(f).join()).containsExactly(1, 2);
    }

    @Test
    void missingFilesFailWithEnoentNamingThePath() {
        Path missing = dir.resolve("nope/missing.txt");
        FsException e = t.fsFailure(() -> fs.readFile(missing));
        assertThat(e.code()).isEqualTo(Code.ENOENT);
        assertThat(e.path()).isEqualTo(missing);
        assertThat(e.getMessage()).contains("readFile", missing.toString(), "ENOENT");
        assertThat(t.code(() -> fs.readString(missing))).isEqualTo(Code.ENOENT);
        assertThat(t.code(() -> fs.open(missing))).isEqualTo(Code.ENOENT);
        assertThat(t.code(() -> fs.stat(missing))).isEqualTo(Code.ENOENT);
        assertThat(t.code(() -> fs.writeFile(missing, new byte[1]))).as("parent missing").isEqualTo(Code.ENOENT);
        assertThat(t.code(() -> fs.delete(missing))).isEqualTo(Code.ENOENT);
        assertThat(t.code(() -> fs.list(missing))).isEqualTo(Code.ENOENT);
        assertThat(t.code(() -> fs.move(missing, dir.resolve("x"), false))).isEqualTo(Code.ENOENT);
        assertThat(t.code(() -> fs.copy(missing, dir.resolve("x"), false))).isEqualTo(Code.ENOENT);
        assertThat(fs.exists(missing).join()).isFalse();
        assertThat(fs.deleteRecursive(missing).join()).isFalse();
        assertThatThrownBy(() -> fs.readFile(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void handlesReadAndWriteAtPositionsAndRefuseUseAfterClose() {
        Path f = dir.resolve("h.bin");
        FileHandle h = fs.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE).join();
        assertThat(h.write("0123456789".getBytes(StandardCharsets.US_ASCII), 0).join()).isEqualTo(10);
        assertThat(h.write(ByteBuffer.wrap("AB".getBytes(StandardCharsets.US_ASCII)), 4).join()).isEqualTo(2);
        assertThat(new String(h.read(2, 6).join(), StandardCharsets.US_ASCII)).isEqualTo("23AB67");
        assertThat(h.read(8, 100).join()).as("short read at the end").hasSize(2);
        assertThat(h.read(50, 4).join()).as("past the end").isEmpty();
        ByteBuffer dst = ByteBuffer.allocate(4);
        assertThat(h.read(dst, 0).join()).isEqualTo(4);
        assertThat(h.read(ByteBuffer.allocate(4), 10).join()).isEqualTo(-1);
        assertThat(h.size().join()).isEqualTo(10L);
        h.truncate(3).join();
        assertThat(h.size().join()).isEqualTo(3L);
        h.truncate(5).join();
        assertThat(h.read(0, 10).join()).containsExactly('0', '1', '2', 0, 0);
        h.sync().join();
        h.close().join();
        h.close().join(); // twice is harmless
        assertThat(h.isOpen()).isFalse();
        assertThat(t.code(() -> h.read(0, 1))).isEqualTo(Code.ECLOSED);
        assertThat(t.code(() -> h.write(new byte[1], 0))).isEqualTo(Code.ECLOSED);
        assertThat(t.code(() -> fs.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))).isEqualTo(Code.EEXIST);
        assertThatThrownBy(() -> h.read(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statLstatAndExistsDescribeFilesDirectoriesAndLinks() throws Exception {
        Path f = dir.resolve("s.txt");
        fs.writeString(f, "12345").join();
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, f);
        FileStat st = fs.stat(f).join();
        assertThat(st.isFile()).isTrue();
        assertThat(st.size()).isEqualTo(5);
        assertThat(st.permissions()).matches("[rwx-]{9}");
        assertThat(st.modified()).isEqualTo(Files.getLastModifiedTime(f).toInstant());
        assertThat(fs.stat(dir).join().isDirectory()).isTrue();
        assertThat(fs.stat(link).join().kind()).isEqualTo(FileStat.Kind.FILE);
        assertThat(fs.lstat(link).join().kind()).isEqualTo(FileStat.Kind.SYMLINK);
        assertThat(fs.exists(f).join()).isTrue();
        Files.delete(f);
        assertThat(fs.exists(link).join()).as("a dangling link still exists").isTrue();
        assertThat(t.code(() -> fs.stat(link))).isEqualTo(Code.ENOENT);
    }

    @Test
    void mkdirMkdirsAndListWithTheirFailures() {
        Path deep = dir.resolve("a/b/c");
        assertThat(t.code(() -> fs.mkdir(deep))).as("parent missing").isEqualTo(Code.ENOENT);
        fs.mkdirs(deep).join();
        fs.mkdirs(deep).join(); // exists: fine
        assertThat(t.code(() -> fs.mkdir(deep))).isEqualTo(Code.EEXIST);
        fs.writeString(dir.resolve("a/z.txt"), "z").join();
        fs.writeString(dir.resolve("a/m.txt"), "m").join();
        assertThat(fs.list(dir.resolve("a")).join()).containsExactly(dir.resolve("a/b"), dir.resolve("a/m.txt"),
                dir.resolve("a/z.txt"));
        assertThat(t.code(() -> fs.list(dir.resolve("a/z.txt")))).isEqualTo(Code.ENOTDIR);
        assertThat(t.code(() -> fs.mkdirs(dir.resolve("a/z.txt")))).isEqualTo(Code.ENOTDIR);
        assertThat(t.code(() -> fs.mkdirs(dir.resolve("a/z.txt/sub")))).isIn(Code.ENOTDIR, Code.EEXIST);
    }

    @Test
    void moveCopyAndDeleteFilesAndTrees() throws Exception {
        Path tree = dir.resolve("tree");
        fs.mkdirs(tree.resolve("x/y")).join();
        fs.writeString(tree.resolve("x/y/f.txt"), "deep").join();
        fs.writeString(tree.resolve("top.txt"), "top").join();
        Files.createSymbolicLink(tree.resolve("out-link"), dir); // points outside the tree

        fs.copy(tree, dir.resolve("copy"), false).join();
        assertThat(fs.readString(dir.resolve("copy/x/y/f.txt")).join()).isEqualTo("deep");
        assertThat(Files.isSymbolicLink(dir.resolve("copy/out-link"))).as("links copied as links").isTrue();
        assertThat(t.code(() -> fs.copy(tree, dir.resolve("copy"), false))).isEqualTo(Code.EEXIST);
        fs.writeString(tree.resolve("top.txt"), "changed").join();
        fs.copy(tree, dir.resolve("copy"), true).join();
        assertThat(fs.readString(dir.resolve("copy/top.txt")).join()).isEqualTo("changed");
        assertThat(t.code(() -> fs.copy(tree, tree.resolve("x/inside"), false))).as("into itself").isEqualTo(Code.EIO);

        fs.move(dir.resolve("copy/top.txt"), dir.resolve("moved.txt"), false).join();
        assertThat(fs.exists(dir.resolve("copy/top.txt")).join()).isFalse();
        fs.writeString(dir.resolve("other.txt"), "o").join();
        assertThat(t.code(() -> fs.move(dir.resolve("moved.txt"), dir.resolve("other.txt"), false))).isEqualTo(Code.EEXIST);
        fs.move(dir.resolve("moved.txt"), dir.resolve("other.txt"), true).join();
        assertThat(fs.readString(dir.resolve("other.txt")).join()).isEqualTo("changed");
        fs.move(dir.resolve("copy"), dir.resolve("renamed"), false).join();
        assertThat(fs.readString(dir.resolve("renamed/x/y/f.txt")).join()).isEqualTo("deep");

        assertThat(t.code(() -> fs.delete(tree))).isEqualTo(Code.ENOTEMPTY);
        assertThat(fs.deleteRecursive(tree).join()).isTrue();
        assertThat(Files.exists(tree)).isFalse();
        assertThat(Files.exists(dir.resolve("other.txt"))).as("the link's target survives").isTrue();
        fs.delete(dir.resolve("other.txt")).join();
        assertThat(fs.exists(dir.resolve("other.txt")).join()).isFalse();
    }

    @Test
    void tempFilesAndDirectoriesAreCreatedPrivate() {
        Path f = fs.createTempFile(dir, "up-", ".part").join();
        assertThat(f.getParent()).isEqualTo(dir);
        assertThat(f.getFileName().toString()).startsWith("up-").endsWith(".part");
        assertThat(fs.stat(f).join().permissions()).isEqualTo("rw-------");
        Path d = fs.createTempDirectory(null, "eventide-test-").join();
        try {
            assertThat(fs.stat(d).join().permissions()).isEqualTo("rwx------");
        } finally {
            fs.deleteRecursive(d).join();
        }
        assertThat(t.code(() -> fs.createTempFile(dir.resolve("missing"), "x", null))).isEqualTo(Code.ENOENT);
    }

    @Test
    void aDirectoryWhereAFileIsExpectedIsEisdir() {
        assertThat(t.code(() -> fs.readFile(dir))).isEqualTo(Code.EISDIR);
        assertThat(t.code(() -> fs.writeFile(dir, new byte[1]))).isEqualTo(Code.EISDIR);
        List<Path> none = fs.list(dir).join();
        assertThat(none).isEmpty();
    }
}
