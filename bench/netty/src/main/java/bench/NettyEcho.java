package bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;

/**
 * Netty 4.2 TCP echo server, native epoll, one event loop thread: the Netty twin of
 * bench/tcp/EchoServer.java (Eventide) and bench/tcp/echo-server.js (Node) for bench/tcp/run.sh.
 * Listens on 127.0.0.1:$PORT (default 7000). Same flow control as those two: write what was read
 * (flushed once per read batch, in channelReadComplete), stop reading while the channel is not
 * writable, read again when it is; TCP_NODELAY on.
 *
 * <pre>
 *   PORT=7000 java --enable-native-access=ALL-UNNAMED -cp bench/netty/target/netty-hello.jar bench.NettyEcho
 * </pre>
 */
public final class NettyEcho {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "7000"));
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Echo echo = new Echo();
        Channel ch = new ServerBootstrap().group(loop).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(echo)
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("netty-echo: listening on port " + port + " (epoll " + Epoll.isAvailable() + "), one event loop, JDK "
                + Runtime.version() + ", pid " + ProcessHandle.current().pid());
        ch.closeFuture().sync();
    }

    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise()); // the ByteBuf is released once written
        }

        @Override public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false); // pause until the peer drains
            }
        }

        @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true); // resume
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
