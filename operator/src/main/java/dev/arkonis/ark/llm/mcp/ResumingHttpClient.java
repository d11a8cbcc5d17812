package dev.arkonis.ark.llm.mcp;

import dev.arkonis.ark.llm.Causes;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The HTTP client under the MCP SDK's streamable HTTP transport, resuming SSE streams as MCP's transport spec asks
 * and the SDK does not: when a server ends a stream before the request's response came (or ends the GET stream it
 * keeps open for server messages), this client waits the server's {@code retry} interval, reopens the stream with GET
 * and {@code Last-Event-ID}, and goes on feeding the SDK the same response body, so the SDK reads one stream.
 */
final class ResumingHttpClient extends HttpClient {
    private static final Logger LOG = LoggerFactory.getLogger("mcp");
    private static final Set<String> NOT_RESENT = Set.of("content-type", "content-length", "accept", "last-event-id");

    private final HttpClient delegate;

    private ResumingHttpClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    /** A builder of the JDK client whose {@code build()} gives it resumption: the SDK's transport takes a builder. */
    static HttpClient.Builder resumingBuilder() {
        return new Builder(HttpClient.newBuilder());
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
        return delegate.sendAsync(request, resuming(request, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
            PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, resuming(request, handler), pushPromiseHandler);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) throws IOException, InterruptedException {
        return delegate.send(request, resuming(request, handler));
    }

    private <T> BodyHandler<T> resuming(HttpRequest request, BodyHandler<T> handler) {
        return info -> {
            if (info.statusCode() != 200 || !eventStream(info.headers())) {
                return handler.apply(info);
            }
            BodySubscriber<T> reader = handler.apply(info);
            BodySubscriber<Flow.Publisher<List<ByteBuffer>>> first = BodySubscribers.ofPublisher();
            SseStream stream = new SseStream("GET".equals(request.method()));
            first.getBody().thenAccept(body ->
                    JdkFlowAdapter.publisherToFlowPublisher(resumable(request, body, stream)).subscribe(reader));
            return new Relay<>(first, reader);
        };
    }

    private Flux<List<ByteBuffer>> resumable(HttpRequest original, Flow.Publisher<List<ByteBuffer>> body, SseStream stream) {
        return JdkFlowAdapter.flowPublisherToFlux(body)
                .map(stream::feed)
                .filter(events -> !events.isEmpty())
                .onErrorResume(IOException.class, e -> {
                    LOG.debug("SSE stream from {} broke: {}", original.uri(), e.toString());
                    return Flux.empty();
                })
                .concatWith(Flux.defer(() -> resume(original, stream)));
    }

    private Flux<List<ByteBuffer>> resume(HttpRequest original, SseStream stream) {
        stream.ended();
        if (!stream.resumable()) {
            String failure = stream.unresumed();
            return failure == null ? Flux.empty()
                    : Flux.error(new IOException("the SSE stream from " + original.uri() + " ended and could not be resumed: "
                            + failure));
        }
        HttpRequest reopen = reopening(original, stream.lastEventId());
        return Mono.delay(stream.delay())
                .then(Mono.fromFuture(() -> delegate.sendAsync(reopen, HttpResponse.BodyHandlers.ofPublisher()))
                        .map(Optional::of)
                        .onErrorResume(e -> {
                            stream.reopenFailed(Causes.describe(e));
                            return Mono.just(Optional.empty());
                        }))
                .flatMapMany(answer -> {
                    if (answer.isEmpty()) {
                        return resume(original, stream);
                    }
                    HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = answer.get();
                    if (response.statusCode() == 200 && eventStream(response.headers())) {
                        stream.reopened();
                        LOG.debug("resumed the SSE stream from {} after event {}", original.uri(), reopen.headers()
                                .firstValue("Last-Event-ID").orElse(""));
                        return resumable(original, response.body(), stream);
                    }
                    JdkFlowAdapter.flowPublisherToFlux(response.body()).subscribe().dispose();
                    String why = "HTTP " + response.statusCode();
                    if (response.statusCode() >= 400 && response.statusCode() < 500) {
                        stream.refused(why);
                    } else {
                        stream.reopenFailed(why);
                    }
                    return resume(original, stream);
                });
    }

    /** MCP transports, "Resumability and Redelivery": GET on the same endpoint, the same session and credentials. */
    private static HttpRequest reopening(HttpRequest original, String lastEventId) {
        HttpRequest.Builder get = HttpRequest.newBuilder(original.uri()).GET();
        original.headers().map().forEach((name, values) -> {
            if (!NOT_RESENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> get.header(name, value));
            }
        });
        return get.header("Accept", "text/event-stream").header("Last-Event-ID", lastEventId).build();
    }

    private static boolean eventStream(HttpHeaders headers) {
        return headers.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT).contains("text/event-stream");
    }

    /** Receives the first response's bytes for {@code first}; the SDK's reader gives the response its body. */
    private record Relay<T>(BodySubscriber<Flow.Publisher<List<ByteBuffer>>> first, BodySubscriber<T> reader)
            implements BodySubscriber<T> {
        @Override
        public CompletionStage<T> getBody() {
            return reader.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            first.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            first.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
            first.onError(throwable);
        }

        @Override
        public void onComplete() {
            first.onComplete();
        }
    }

    private record Builder(HttpClient.Builder jdk) implements HttpClient.Builder {
        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            jdk.cookieHandler(cookieHandler);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            jdk.connectTimeout(duration);
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            jdk.sslContext(sslContext);
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
            jdk.sslParameters(sslParameters);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            jdk.executor(executor);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(Redirect policy) {
            jdk.followRedirects(policy);
            return this;
        }

        @Override
        public HttpClient.Builder version(Version version) {
            jdk.version(version);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            jdk.priority(priority);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            jdk.proxy(proxySelector);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            jdk.authenticator(authenticator);
            return this;
        }

        @Override
        public HttpClient build() {
            return new ResumingHttpClient(jdk.build());
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
