package io.eventide.cluster.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * The supervisor's Unix domain socket: workers report on it, {@code eventide cluster status|reload|stop}
 * command it. Only the user who started the cluster can reach it (the run directory is 0700).
 *
 * <p><b>Threading:</b> accepts on its own thread; each connection is read on a virtual thread that
 * hands every line to the handler.
 */
final class ControlServer implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;

    /**
     * @param socket where to listen (an old socket file left by a killed supervisor is replaced)
     * @param onLine receives each connection's lines, then {@code null} when it ends
     */
    ControlServer(Path socket, BiConsumer<Peer, String> onLine) throws IOException {
        this.socket = socket;
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofPlatform().daemon().name("eventide-cluster-control").start(() -> acceptLoop(onLine));
    }

    private void acceptLoop(BiConsumer<Peer, String> onLine) {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept(); // blocking-ok: the control socket's own thread
            } catch (IOException e) {
                return; // closed: the supervisor is stopping
            }
            Peer peer = new Peer(ch);
            Thread.ofVirtual().name("eventide-cluster-peer").start(() -> {
                try {
                    for (String line = peer.readLine(); line != null; line = peer.readLine()) {
                        onLine.accept(peer, line);
                    }
                } catch (IOException e) {
                    // The peer vanished (a worker killed with -9): same as its end.
                }
                onLine.accept(peer, null);
            });
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
