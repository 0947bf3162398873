import io.eventide.core.LoopGroup;
import io.eventide.core.net.TcpOptions;
import io.eventide.core.net.TcpServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A TCP hello-and-echo server on $PORT (default 8080): try `nc 127.0.0.1 8080`. */
public class Hello {
    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        LoopGroup group = LoopGroup.create();
        TcpServer server = TcpServer.create(group, TcpOptions.defaults(), conn -> {
            conn.write(ByteBuffer.wrap(("Hello from " + conn.loop().name() + "! I echo what you type.\n")
                    .getBytes(StandardCharsets.UTF_8)));
            conn.onData(conn::write);
        });
        server.listen("0.0.0.0", port).join();
        System.out.println("Hello: listening on port " + server.port() + " with " + group.size() + " loops");
    }
}
