package dev.arkonis.ark.http;

import dev.arkonis.ark.concurrent.DaemonThreads;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An HTTP server of ark (health and metrics, ArkEvent webhooks) that slow or hostile callers cannot stall: one
 * event-loop thread reads every connection without blocking, a request reaches the {@link HttpService}'s workers
 * only once its head is complete, every request must arrive within the request timeout, and each connection
 * carries one request. Built on Netty, which Lettuce already brings.
 */
public final class ArkHttpServer implements AutoCloseable {
    private static final int MAX_REQUEST_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final int MAX_CHUNK = 8192;

    private final EventLoopGroup loop;
    private final ThreadPoolExecutor workers;
    private final Channel channel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ArkHttpServer(EventLoopGroup loop, ThreadPoolExecutor workers, Channel channel) {
        this.loop = loop;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * Listens on every interface.
     *
     * @param name names the server's threads ({@code <name>-io-…}, {@code <name>-N})
     * @param port 0 picks a free port
     * @throws IOException when it cannot listen on the port
     */
    public static ArkHttpServer start(String name, int port, ServerOptions options, HttpService service)
            throws IOException {
        EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-io", true));
        ThreadPoolExecutor workers = new ThreadPoolExecutor(options.workers(), options.workers(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(Math.max(1, options.queued())),
                DaemonThreads.named(name));
        ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel connection) {
                        options.tls().ifPresent(tls -> connection.pipeline()
                                .addLast(tls.context().newHandler(connection.alloc())));
                        connection.pipeline().addLast(new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADERS, MAX_CHUNK),
                                new Exchange(service, workers, options));
                    }
                });
        try {
            Channel channel = bootstrap.bind(port).syncUninterruptibly().channel();
            return new ArkHttpServer(loop, workers, channel);
        } catch (Exception e) {
            // Netty rethrows the bind failure (a BindException) as it is
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownNow();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channel.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
    }
}
