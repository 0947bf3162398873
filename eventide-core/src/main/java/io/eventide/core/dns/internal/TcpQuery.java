package io.eventide.core.dns.internal;

import io.eventide.core.DeadlineExceededException;
import io.eventide.core.EventLoop;
import io.eventide.core.EventideException;
import io.eventide.core.Promise;
import io.eventide.core.Timer;
import io.eventide.core.internal.io.Sock;
import io.eventide.core.internal.io.Transports;
import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * One DNS question over TCP (RFC 1035 §4.2.2, RFC 7766), used when a UDP answer came back
 * truncated: connect, send the message behind its two-byte length, read the two-byte length and
 * the answer, close. Non-blocking throughout, on the loop; one deadline covers all of it.
 *
 * <p><b>Threading:</b> loop-confined.
 */
public final class TcpQuery implements IoHandler {
    private final EventLoop loop;
    private final InetSocketAddress server;
    private final Promise<byte[]> result;
    private final ByteBuffer out;
    private final ByteBuffer lenBuf = ByteBuffer.allocate(2);
    private ByteBuffer body;
    private Sock channel;
    private Timer timer;

    private TcpQuery(EventLoop loop, InetSocketAddress server, byte[] query) {
        this.loop = loop;
        this.server = server;
        this.result = loop.promise();
        this.out = ByteBuffer.allocate(2 + query.length);
        out.putShort((short) query.length).put(query).flip();
    }

    /**
     * @param loop the loop, the calling thread
     * @param server the server
     * @param query the encoded message
     * @param timeout deadline for connect, send and answer together
     * @return the raw answer
     */
    public static Promise<byte[]> send(EventLoop loop, InetSocketAddress server, byte[] query, Duration timeout) {
        TcpQuery q = new TcpQuery(loop, server, query);
        q.start(timeout);
        return q.result;
    }

    private void start(Duration timeout) {
        try {
            channel = Transports.poller(loop).openStream(server.getAddress());
            boolean connected = channel.connect(server);
            channel.register(Transports.poller(loop), connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, this);
            timer = loop.setTimeout(timeout, () -> fail(new DeadlineExceededException("no TCP answer from " + server
                    + " within " + timeout.toMillis() + " ms")));
        } catch (IOException | RuntimeException e) {
            fail(new EventideException("cannot query " + server + " over TCP: " + e, e));
        }
    }

    @Override
    public void ready(int ops) {
        try {
            if ((ops & SelectionKey.OP_CONNECT) != 0 && channel.finishConnect()) {
                channel.interest(SelectionKey.OP_WRITE);
            }
            if ((ops & SelectionKey.OP_WRITE) != 0 || channel.interest() == SelectionKey.OP_WRITE) {
                channel.write(out);
                if (!out.hasRemaining()) {
                    channel.interest(SelectionKey.OP_READ);
                }
                return;
            }
            if ((ops & SelectionKey.OP_READ) != 0) {
                read();
            }
        } catch (IOException e) {
            fail(new EventideException("TCP query to " + server + " failed: " + e, e));
        }
    }

    private void read() throws IOException {
        if (body == null) {
            if (channel.read(lenBuf) < 0) {
                throw new IOException("closed before the answer's length");
            }
            if (lenBuf.hasRemaining()) {
                return;
            }
            body = ByteBuffer.allocate(lenBuf.flip().getShort() & 0xffff);
        }
        if (channel.read(body) < 0 && body.hasRemaining()) {
            throw new IOException("closed after " + body.position() + " of " + body.capacity() + " bytes");
        }
        if (!body.hasRemaining()) {
            close();
            result.resolve(body.array());
        }
    }

    private void fail(EventideException e) {
        close();
        result.reject(e);
    }

    private void close() {
        if (timer != null) {
            timer.cancel();
        }
        if (channel != null) {
            channel.close(); // the answer is in, or the query failed already: the close adds nothing
        }
    }

    @Override
    public void forceClose() {
        fail(new EventideException("loop closing"));
    }

    @Override
    public String handlerName() {
        return "dns-tcp:" + server;
    }
}
