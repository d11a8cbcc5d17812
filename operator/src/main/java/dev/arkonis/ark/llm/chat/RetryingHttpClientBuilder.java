package dev.arkonis.ark.llm.chat;

import dev.arkonis.ark.llm.RetryListener;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Hands LangChain4j a {@link RetryingHttpClient} bound to one request's deadline. */
final class RetryingHttpClientBuilder implements HttpClientBuilder {
    private final java.net.http.HttpClient http;
    private final RetryPolicy policy;
    private final Instant deadline;
    private final Clock clock;
    private final String provider;
    private final RetryListener listener;
    private final GateSession gate;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(120);

    RetryingHttpClientBuilder(java.net.http.HttpClient http, RetryPolicy policy, Instant deadline, Clock clock,
            String provider, RetryListener listener, GateSession gate) {
        this.gate = gate;
        this.http = http;
        this.policy = policy;
        this.deadline = deadline;
        this.clock = clock;
        this.provider = provider;
        this.listener = listener;
    }

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The shared JDK client already has its connect timeout; this value is kept only to honour the SPI. */
    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        if (timeout != null) {
            this.connectTimeout = timeout;
        }
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        if (timeout != null) {
            this.readTimeout = timeout;
        }
        return this;
    }

    @Override
    public HttpClient build() {
        return new RetryingHttpClient(http, policy, deadline, readTimeout, clock, provider, listener, gate);
    }
}
