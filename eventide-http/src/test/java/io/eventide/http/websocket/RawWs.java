package io.eventide.http.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw-socket WebSocket peer for byte-level tests: sends exactly the frames a test builds (masked
 * or not, broken on purpose) and parses what the server sends back without any leniency.
 */
public final class RawWs implements AutoCloseable {
    /** A frame as received. */
    public record Frame(boolean fin, boolean rsv1, int opcode, byte[] payload) {
        /** @return the close code of a close frame, or -1 when it has none */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    /** The status line and headers of the handshake response. */
    public final String responseHead;

    private RawWs(Socket socket, String responseHead) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.responseHead = responseHead;
    }

    /** Connects and upgrades with a valid handshake plus {@code extraHeaders} ("Name: value" lines). */
    public static RawWs open(int port, String path, String... extraHeaders) throws IOException {
        return open(port, path, 0, extraHeaders);
    }

    /** Like {@link #open(int, String, String...)} with a small receive buffer, for slow-reader tests. */
    public static RawWs open(int port, String path, int receiveBuffer, String... extraHeaders) throws IOException {
        StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n");
        for (String h : extraHeaders) {
            sb.append(h).append("\r\n");
        }
        return request(port, sb.append("\r\n").toString(), receiveBuffer);
    }

    /** Sends {@code head} as is and reads the response head. */
    public static RawWs request(int port, String head, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(20_000); // a safety net against hangs, not a synchronisation device
        s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        while (!h.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            h.write(b);
        }
        return new RawWs(s, h.toString(StandardCharsets.ISO_8859_1));
    }

    /** @return the status code of the handshake response */
    public int status() {
        return Integer.parseInt(responseHead.split(" ")[1]);
    }

    /** Builds a frame: first byte as given (FIN, RSV, opcode), masked with a random key if asked. */
    public static byte[] frame(int firstByte, byte[] payload, boolean mask) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put((byte) firstByte);
        int m = mask ? 0x80 : 0;
        if (payload.length < 126) {
            b.put((byte) (m | payload.length));
        } else if (payload.length <= 0xffff) {
            b.put((byte) (m | 126)).putShort((short) payload.length);
        } else {
            b.put((byte) (m | 127)).putLong(payload.length);
        }
        byte[] key = new byte[4];
        if (mask) {
            ThreadLocalRandom.current().nextBytes(key);
            b.put(key);
        }
        for (int i = 0; i < payload.length; i++) {
            b.put((byte) (payload[i] ^ key[i & 3]));
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** A masked, final frame with {@code opcode}. */
    public static byte[] masked(int opcode, byte[] payload) {
        return frame(0x80 | opcode, payload, true);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] closePayload(int code, String reason) {
        byte[] r = utf8(reason);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    public RawWs send(byte[]... frames) throws IOException {
        for (byte[] f : frames) {
            socket.getOutputStream().write(f);
        }
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one frame (server frames must be unmasked). */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new AssertionError("server sent a masked frame");
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] p = new byte[(int) len];
        in.readFully(p);
        return new Frame((b0 & 0x80) != 0, (b0 & 0x40) != 0, b0 & 0x0f, p);
    }

    /** Reads frames until a close frame, which it returns; data frames before it are skipped. */
    public Frame readUntilClose() throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() == 0x8) {
                return f;
            }
        }
    }

    /** @return whether the server closed the TCP connection (EOF or reset) */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("server did not close the connection", e);
        } catch (SocketException | EOFException e) {
            return true; // reset: closed as well
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
