package io.eventide.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link Connection#protocol(Protocol, ByteBuffer)}: one step, every handler, unread bytes kept. */
class ProtocolSwitchIT {
    /** Reads one line; on "UPGRADE" hands the connection and whatever followed the line to Echo. */
    static final class LineProtocol implements Protocol {
        final Connection conn;
        final List<String> events;

        LineProtocol(Connection conn, List<String> events) {
            this.conn = conn;
            this.events = events;
        }

        @Override
        public String name() {
            return "line";
        }

        @Override
        public void onData(ByteBuffer buf) {
            String s = StandardCharsets.US_ASCII.decode(buf.duplicate()).toString();
            int nl = s.indexOf('\n');
            if (nl >= 0 && s.substring(0, nl).equals("UPGRADE")) {
                buf.position(buf.position() + nl + 1);
                conn.protocol(new Echo(conn, events), buf);
            }
        }

        @Override
        public void onClose(Throwable cause) {
            events.add("line closed"); // must never run: the line protocol was replaced
        }
    }

    static final CompletableFuture<Void> ECHO_CLOSED = new CompletableFuture<>();

    /** Echoes everything, upper-cased so the test can tell who answered. */
    static final class Echo implements Protocol {
        final Connection conn;
        final List<String> events;

        Echo(Connection conn, List<String> events) {
            this.conn = conn;
            this.events = events;
        }

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public void attached(Connection c) {
            events.add("attached as " + c.handlerName().substring(0, 4));
        }

        @Override
        public void onData(ByteBuffer buf) {
            String s = StandardCharsets.US_ASCII.decode(buf).toString().toUpperCase();
            conn.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void onClose(Throwable cause) {
            events.add("echo closed");
            ECHO_CLOSED.complete(null);
        }
    }

    @Test
    void bytesBehindTheSwitchReachTheNewProtocolAndOnlyItsHandlersRun() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (LoopGroup g = LoopGroup.create(1)) {
            TcpServer server = TcpServer.create(g, TcpOptions.defaults(), c -> c.protocol(new LineProtocol(c, events)));
            server.listen("127.0.0.1", 0).join();
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                OutputStream out = s.getOutputStream();
                // The switch line and the first bytes of the new protocol in one segment.
                out.write("UPGRADE\nhello".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("HELLO");
                out.write("again".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("AGAIN");
            }
            // The peer closed: the server side closes too, and only the echo protocol hears it.
            ECHO_CLOSED.join();
        }
        assertThat(events).containsExactly("attached as echo", "echo closed");
    }
}
