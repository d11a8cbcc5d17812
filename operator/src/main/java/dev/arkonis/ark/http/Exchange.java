package dev.arkonis.ark.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's request, from its first byte to the reply: answered at once, or screened and answered on a
 * worker, its body read only once the screen admitted it. Every method runs on the connection's event loop; work
 * handed to a worker comes back to it.
 */
final class Exchange extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger("http");

    private enum State { HEAD, SCREENING, BODY, ANSWERING, DONE }

    private final HttpService service;
    private final Executor workers;
    private final ServerOptions options;
    private final List<HttpContent> held = new ArrayList<>();
    private State state = State.HEAD;
    private HttpCall head;
    private ByteArrayOutputStream body;
    private ScheduledFuture<?> deadline;

    Exchange(HttpService service, Executor workers, ServerOptions options) {
        this.service = service;
        this.workers = workers;
        this.options = options;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = closeAfterTimeout(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            if (message instanceof HttpRequest request) {
                onHead(ctx, request);
            }
            if (message instanceof HttpContent content) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void onHead(ChannelHandlerContext ctx, HttpRequest request) {
        if (state != State.HEAD) {
            return;
        }
        if (request.decoderResult().isFailure()) {
            reply(ctx, service.failure(400, "bad request"));
            return;
        }
        head = new HttpCall(request.method().name(), new QueryStringDecoder(request.uri()).path(),
                headers(request), new byte[0]);
        Optional<HttpReply> now = service.atOnce(head);
        if (now.isPresent()) {
            reply(ctx, now.get());
            return;
        }
        state = State.SCREENING;
        ctx.channel().config().setAutoRead(false);
        HttpCall screened = head;
        onWorker(ctx, () -> service.screen(screened), refusal -> {
            if (refusal.isPresent()) {
                reply(ctx, refusal.get());
            } else {
                readBody(ctx, request);
            }
        });
    }

    private void readBody(ChannelHandlerContext ctx, HttpRequest request) {
        if (HttpUtil.getContentLength(request, -1L) > options.maxBodyBytes()) {
            reply(ctx, tooLarge());
            return;
        }
        state = State.BODY;
        body = new ByteArrayOutputStream();
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        List<HttpContent> pending = new ArrayList<>(held);
        held.clear();
        for (HttpContent content : pending) {
            try {
                onContent(ctx, content);
            } finally {
                content.release();
            }
        }
        if (state == State.BODY) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        if (state == State.SCREENING) {
            // what came with the head in the same read waits for the screen; nothing more is read meanwhile
            held.add(content.retain());
            return;
        }
        if (state != State.BODY) {
            return;
        }
        ByteBuf bytes = content.content();
        if ((long) body.size() + bytes.readableBytes() > options.maxBodyBytes()) {
            reply(ctx, tooLarge());
            return;
        }
        try {
            bytes.getBytes(bytes.readerIndex(), body, bytes.readableBytes());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory does not fail", e);
        }
        if (content instanceof LastHttpContent) {
            cancelDeadline();
            state = State.ANSWERING;
            ctx.channel().config().setAutoRead(false);
            HttpCall call = head.withBody(body.toByteArray());
            body = null;
            onWorker(ctx, () -> service.answer(call), answer -> reply(ctx, answer));
        }
    }

    /** Runs {@code work} on a worker and hands its result back to the connection's thread. */
    private <T> void onWorker(ChannelHandlerContext ctx, Callable<T> work, Consumer<T> then) {
        String path = head.path();
        try {
            workers.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Exception | LinkageError e) {
                    LOG.warn("{} {} failed: {}", head.method(), path, e.toString());
                    ctx.executor().execute(() -> reply(ctx, service.failure(500, "internal error")));
                    return;
                }
                ctx.executor().execute(() -> then.accept(result));
            });
        } catch (RejectedExecutionException e) {
            reply(ctx, service.failure(503, "busy, try again").withHeader("Retry-After", "1"));
        }
    }

    private void reply(ChannelHandlerContext ctx, HttpReply reply) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        cancelDeadline();
        releaseHeld();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        reply.headers().forEach((name, value) -> response.headers().set(name, value));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // a caller that never takes the reply does not keep the connection either
        deadline = closeAfterTimeout(ctx);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private HttpReply tooLarge() {
        return service.failure(413, "the body is larger than " + options.maxBodyBytes() + " bytes");
    }

    private ScheduledFuture<?> closeAfterTimeout(ChannelHandlerContext ctx) {
        return ctx.executor().schedule(() -> {
            ctx.close();
        }, options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void releaseHeld() {
        held.forEach(HttpContent::release);
        held.clear();
    }

    private static Map<String, String> headers(HttpRequest request) {
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        return headers;
    }
}
