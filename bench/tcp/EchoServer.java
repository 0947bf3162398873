import io.eventide.core.LoopGroup;
import io.eventide.core.LoopOptions;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.net.TcpServer;

/**
 * TCP echo server for bench/tcp (the twin of echo-server.js): $PORT (default 7000), $EVENTIDE_LOOPS
 * loops (default one per core). Run: {@code PORT=7000 EVENTIDE_LOOPS=1 ./eventide run bench/tcp/EchoServer.java}.
 */
public class EchoServer {
    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "7000"));
        int loops = Integer.parseInt(System.getenv().getOrDefault("EVENTIDE_LOOPS",
                String.valueOf(Runtime.getRuntime().availableProcessors())));
        LoopGroup group = LoopGroup.create(LoopOptions.builder().loops(loops).build());
        TcpServer server = TcpServer.create(group, TcpOptions.defaults(), conn -> {
            conn.onData(buf -> {
                if (!conn.write(buf)) {
                    conn.pause();
                }
            });
            conn.onDrain(conn::resume);
        });
        server.listen("127.0.0.1", port).join();
        System.out.println("EchoServer: listening on port " + server.port() + " with " + loops + " loop(s), JDK "
                + Runtime.version() + ", pid " + ProcessHandle.current().pid());
    }
}
