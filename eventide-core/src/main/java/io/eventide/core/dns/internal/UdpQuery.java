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
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * One DNS question sent over UDP to one server, on the loop. Each query gets its own socket,
 * connected to the server: a fresh random source port per query (with the random id, the defence
 * against spoofed answers, RFC 5452 §9.2), the kernel drops datagrams from any other address, and
 * an ICMP port-unreachable fails the query at once instead of after the timeout.
 *
 * <pre>
 *   open + connect(server) ──register OP_READ──► send query ──► ready: read datagram
 *        id differs: ignore it, keep waiting          id matches: resolve(bytes), close
 *   timer fires: reject(timeout), close               ICMP unreachable: reject, close
 * </pre>
 *
 * <p><b>Threading:</b> loop-confined: created, driven and closed on its loop.
 */
public final class UdpQuery implements IoHandler {
    private final EventLoop loop;
    private final InetSocketAddress server;
    private final int id;
    private final Promise<byte[]> result;
    private Sock channel;
    private Timer timer;

    private UdpQuery(EventLoop loop, InetSocketAddress server, int id) {
        this.loop = loop;
        this.server = server;
        this.id = id;
        this.result = loop.promise();
    }

    /**
     * @param loop the loop, which must be the calling thread
     * @param server where to send it
     * @param query the encoded message
     * @param id its id; answers with another id are ignored
     * @param timeout how long to wait
     * @return the raw answer, or a {@link DeadlineExceededException} or {@link EventideException}
     */
    public static Promise<byte[]> send(EventLoop loop, InetSocketAddress server, byte[] query, int id, Duration timeout) {
        UdpQuery q = new UdpQuery(loop, server, id);
        q.start(query, timeout);
        return q.result;
    }

    private void start(byte[] query, Duration timeout) {
        try {
            channel = Transports.poller(loop).openDatagram(server.getAddress());
            channel.connect(server);
            channel.register(Transports.poller(loop), SelectionKey.OP_READ, this);
            channel.write(ByteBuffer.wrap(query)); // a datagram goes whole or not at all
            timer = loop.setTimeout(timeout, () -> fail(new DeadlineExceededException("no answer from " + server
                    + " within " + timeout.toMillis() + " ms")));
        } catch (IOException | RuntimeException e) {
            fail(new EventideException("cannot query " + server + ": " + e, e));
        }
    }

    @Override
    public void ready(int readyOps) {
        ByteBuffer buf = loop.readBuffer();
        try {
            while (!result.isDone()) {
                buf.clear();
                int n = channel.read(buf);
                if (n <= 0) {
                    return; // nothing more now
                }
                buf.flip();
                byte[] msg = new byte[buf.remaining()];
                buf.get(msg);
                if (DnsCodec.id(msg) == id) {
                    close();
                    result.resolve(msg);
                }
                // Another id: a late answer to an earlier query or a forgery. Keep waiting.
            }
        } catch (PortUnreachableException e) {
            fail(new EventideException("nothing listens on " + server + " (ICMP port unreachable)", e));
        } catch (IOException e) {
            fail(new EventideException("reading from " + server + " failed: " + e, e));
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
            channel.close(); // a UDP socket: nothing was in flight that closing could lose
        }
    }

    @Override
    public void forceClose() {
        fail(new EventideException("loop closing"));
    }

    @Override
    public String handlerName() {
        return "dns-udp:" + server;
    }
}
