package io.eventide.http.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener whose accept queue is full, so a new connect gets no answer at all: Linux drops the
 * SYN of a connection its full accept queue cannot hold. The queue is filled with connections
 * until one of them is left unanswered, which is the signal that it is full.
 */
final class BackloggedServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    private BackloggedServer() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    static BackloggedServer start() throws IOException {
        BackloggedServer s = new BackloggedServer();
        for (int i = 0; i < 64; i++) {
            Socket filler = new Socket();
            s.fillers.add(filler);
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port()), 500);
            } catch (SocketTimeoutException full) {
                return s; // unanswered: the accept queue is full
            }
        }
        s.close();
        throw new AssertionError("the accept queue never filled up");
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        server.close();
    }
}
