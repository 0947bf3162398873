package io.eventide.core.internal.io;

import io.eventide.core.spi.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The NIO transport's {@link Sock}: a socket, datagram or server socket channel and its key.
 *
 * <p><b>Threading:</b> loop-confined once registered.
 */
final class NioSock implements Sock {
    private final SelectableChannel channel;
    private final SocketChannel stream;
    private final DatagramChannel datagram;
    private SelectionKey key;
    private int interest;

    NioSock(SelectableChannel channel) throws IOException {
        this.channel = channel;
        this.stream = channel instanceof SocketChannel s ? s : null;
        this.datagram = channel instanceof DatagramChannel d ? d : null;
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void register(Poller poller, int ops, IoHandler handler) throws IOException {
        interest = ops;
        key = ((NioPoller) poller).register(channel, ops, handler);
    }

    @Override
    public void handOver(IoHandler handler, int ops) {
        key.attach(handler);
        interest(ops);
    }

    @Override
    public void interest(int ops) {
        interest = ops;
        if (key != null && key.isValid()) {
            key.interestOps(ops);
        }
    }

    @Override
    public int interest() {
        return interest;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return stream != null ? stream.read(dst) : datagram.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return stream != null ? stream.write(src) : datagram.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return stream.write(srcs, offset, length);
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        return file.transferTo(position, count, stream);
    }

    @Override
    public boolean connect(InetSocketAddress remote) throws IOException {
        if (datagram != null) {
            datagram.connect(remote);
            return true;
        }
        return stream.connect(remote);
    }

    @Override
    public boolean finishConnect() throws IOException {
        return stream == null || stream.finishConnect();
    }

    @Override
    public Sock accept() throws IOException {
        SocketChannel ch = ((ServerSocketChannel) channel).accept();
        return ch == null ? null : new NioSock(ch);
    }

    @Override
    public void shutdownOutput() throws IOException {
        stream.shutdownOutput();
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // The socket is gone either way; a failing close has nothing left to tell the peer.
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) ((NetworkChannel) channel).getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        try {
            return stream != null ? (InetSocketAddress) stream.getRemoteAddress()
                    : datagram != null ? (InetSocketAddress) datagram.getRemoteAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void noDelay(boolean on) throws IOException {
        stream.setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public void keepAlive(boolean on) throws IOException {
        stream.setOption(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public String toString() {
        return "nio:" + channel;
    }
}
