package io.eventide.http.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP peer on 127.0.0.1 for byte-level tests: the test thread accepts connections and
 * reads and writes exact bytes with blocking I/O while the client runs on its loops. Socket
 * timeouts are a safety net against hangs, never a synchronisation device.
 */
final class RawServer implements AutoCloseable {
    private static final int SAFETY_NET_MS = 20_000;
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();

    RawServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(SAFETY_NET_MS);
    }

    int port() {
        return server.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    Peer accept() throws IOException {
        Socket s = server.accept();
        s.setSoTimeout(SAFETY_NET_MS);
        accepted.incrementAndGet();
        return new Peer(s);
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** One accepted connection. */
    static final class Peer implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Reads one request head, up to and including the empty line. */
        String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int c = in.read();
                if (c < 0) {
                    throw new AssertionError("connection ended inside a request head: " + head);
                }
                head.write(c);
                matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        String readBytes(int n) throws IOException {
            return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
        }

        Peer send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        /** Waits until the client closes its side; fails the test if it never does. */
        void awaitClientClose() throws IOException {
            try {
                while (in.read() >= 0) {
                    // drain whatever the client still sends
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the client did not close the connection", e);
            } catch (SocketException e) {
                // reset by the client: closed as well
            }
        }

        /** Closes with a FIN, in the middle of the conversation. */
        void hangUp() throws IOException {
            socket.close();
        }

        /** Closes with an RST instead of a FIN. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        int remotePort() {
            return socket.getPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
