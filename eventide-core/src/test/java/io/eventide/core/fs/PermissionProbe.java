package io.eventide.core.fs;

import io.eventide.core.LoopGroup;
import io.eventide.core.Promise;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Run by {@link PermissionDeniedIT} in a child JVM as an unprivileged user: tries each operation on
 * the paths it is given and prints one {@code op=CODE} line per operation.
 */
public final class PermissionProbe {
    private PermissionProbe() {
    }

    /** @param args a private file, a private directory, a read-only directory */
    public static void main(String[] args) throws Exception {
        Path secret = Path.of(args[0]);
        Path privateDir = Path.of(args[1]);
        Path readOnlyDir = Path.of(args[2]);
        LoopGroup g = LoopGroup.create(1);
        try {
            FileSystem fs = FileSystem.of(g.loop(0));
            report("readFile", fs.readFile(secret));
            report("open-write", fs.open(secret, StandardOpenOption.WRITE));
            report("appendFile", fs.appendFile(secret, new byte[] {1}));
            report("list", fs.list(privateDir));
            report("writeFile-in-readonly-dir", fs.writeFile(readOnlyDir.resolve("new.txt"), new byte[] {1}));
            report("mkdir-in-readonly-dir", fs.mkdir(readOnlyDir.resolve("sub")));
            report("delete-in-readonly-dir", fs.delete(readOnlyDir.resolve("keep.txt")));
            report("stat-through-private-dir", fs.stat(privateDir.resolve("inner.txt")));
            Promise<Throwable> stream = g.loop(0).promise();
            g.loop(0).execute(() -> fs.readStream(secret).onError(stream::resolve)
                    .onData(b -> stream.resolve(null)));
            Throwable e = stream.join(Duration.ofSeconds(30));
            System.out.println("readStream=" + (e instanceof FsException fe ? fe.code() : String.valueOf(e)));
            Promise<Throwable> ws = g.loop(0).promise();
            g.loop(0).execute(() -> {
                FileWriteStream out = fs.writeStream(readOnlyDir.resolve("stream.bin"));
                out.write(ByteBuffer.wrap(new byte[10]));
                out.end();
                out.finished().whenComplete((n, err) -> ws.resolve(err));
            });
            Throwable we = ws.join(Duration.ofSeconds(30));
            System.out.println("writeStream=" + (we instanceof FsException fe ? fe.code() : String.valueOf(we)));
        } finally {
            g.close();
        }
    }

    private static void report(String op, Promise<?> p) {
        String outcome;
        try {
            p.join(Duration.ofSeconds(30));
            outcome = "OK";
        } catch (FsException e) {
            outcome = e.code().name();
        } catch (RuntimeException e) {
            outcome = e.toString();
        }
        System.out.println(op + "=" + outcome);
    }
}
