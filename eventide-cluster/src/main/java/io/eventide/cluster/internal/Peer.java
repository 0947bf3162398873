package io.eventide.cluster.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection to the control socket: a worker's link or a command ({@code status},
 * {@code reload}, {@code stop}). Messages are lines, {@code verb key=value...}.
 *
 * <p><b>Threading:</b> {@link #readLine} on the connection's own reader thread; {@link #say} and
 * {@link #close} from any thread (writes are serialised on this object).
 */
final class Peer implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private volatile boolean closed;

    Peer(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    /** @return the next line, or null at the end */
    String readLine() throws IOException {
        return in.readLine(); // blocking-ok: the peer's own reader thread
    }

    /** Sends one line; a peer that went away is closed quietly. */
    synchronized void say(String line) {
        if (closed) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) {
                channel.write(b); // blocking-ok: a few lines to a local client that reads them
            }
        } catch (IOException e) {
            close(); // the client left (Ctrl-C on `cluster reload`): nobody to tell
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a local socket: nothing left to report.
        }
    }

    /** @return the first word of a line */
    static String verb(String line) {
        int sp = line.indexOf(' ');
        return sp < 0 ? line : line.substring(0, sp);
    }

    /** @return the {@code key=value} fields after the verb */
    static Map<String, String> fields(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : line.trim().split(" +")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return out;
    }
}
