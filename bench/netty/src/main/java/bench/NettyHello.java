package bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.*;
import io.netty.channel.epoll.*;
import io.netty.handler.codec.http.*;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 hello server, native epoll, one event loop thread: the CPU-per-request reference. PORT env.
 * TLS_CERT and TLS_KEY (PEM chain, PKCS#8 key): HTTPS with the JDK's SSLEngine (SslProvider.JDK),
 * the same TLS implementation Eventide uses (bench/http/run.sh --tls).
 */
public final class NettyHello {
    static final ByteBuf HELLO = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes("Hello, World!".getBytes(StandardCharsets.US_ASCII)));
    static final AsciiString TEXT = AsciiString.cached("text/plain"), LEN = AsciiString.cached("13"), SERVER = AsciiString.cached("netty");
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);
    static volatile AsciiString date = now();

    static AsciiString now() { return new AsciiString(HTTP_DATE.format(ZonedDateTime.now(java.time.ZoneOffset.UTC))); }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        String cert = System.getenv("TLS_CERT");
        io.netty.handler.ssl.SslContext ssl = cert == null ? null : io.netty.handler.ssl.SslContextBuilder
                .forServer(new java.io.File(cert), new java.io.File(System.getenv("TLS_KEY")))
                .sslProvider(io.netty.handler.ssl.SslProvider.JDK)
                .applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                        io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "http/1.1"))
                .build();
        loop.scheduleAtFixedRate(() -> date = now(), 1, 1, TimeUnit.SECONDS);
        Channel ch = new ServerBootstrap().group(loop).channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override protected void initChannel(Channel c) {
                        if (ssl != null) {
                            c.pipeline().addLast(ssl.newHandler(c.alloc()));
                        }
                        c.pipeline().addLast(new HttpServerCodec(), new Hello());
                    }
                }).bind(port).sync().channel();
        System.out.println("netty: listening on " + port + " (epoll " + Epoll.isAvailable() + (ssl != null ? ", https JDK SSL" : "")
                + "), pid " + ProcessHandle.current().pid());
        ch.closeFuture().sync();
    }

    static final class Hello extends ChannelInboundHandlerAdapter {
        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                boolean hello = "/plaintext".equals(req.uri());
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, hello ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                        hello ? HELLO.duplicate() : Unpooled.EMPTY_BUFFER, false);
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT).set(HttpHeaderNames.SERVER, SERVER).set(HttpHeaderNames.DATE, date)
                        .set(HttpHeaderNames.CONTENT_LENGTH, hello ? LEN : AsciiString.cached("0"));
                if (io.netty.handler.codec.http.HttpUtil.isKeepAlive(req)) {
                    ctx.write(res, ctx.voidPromise());
                } else { // Connection: close asked for (bench/http/close.lua): answer, then close
                    res.headers().set(HttpHeaderNames.CONNECTION, io.netty.handler.codec.http.HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(res).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                }
            }
            io.netty.util.ReferenceCountUtil.release(msg);
        }
        @Override public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }
}
