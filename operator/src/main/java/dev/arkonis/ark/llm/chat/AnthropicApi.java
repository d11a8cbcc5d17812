package dev.arkonis.ark.llm.chat;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Anthropic's Messages API. */
public final class AnthropicApi implements ChatApi {
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";
    static final String API_VERSION = "2023-06-01";

    private final String baseUrl;
    private final String apiKey;

    /**
     * @param baseUrl API root, with or without {@code /v1} (the Anthropic SDKs' ANTHROPIC_BASE_URL has none);
     *                null for Anthropic
     */
    public AnthropicApi(String baseUrl, String apiKey) {
        String url = OpenAiApi.stripTrailingSlash(baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl);
        this.baseUrl = url.endsWith("/v1") ? url : url + "/v1";
        this.apiKey = apiKey;
    }

    @Override
    public String name() {
        return "anthropic";
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public ChatModel chatModel(String model, HttpClientBuilder http) {
        return AnthropicChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl + "/")
                .apiKey(apiKey)
                .version(API_VERSION)
                .modelName(model)
                // the system prompt and tool definitions are the same on every call of a role: cached, they cost
                // a tenth of their price from the second call on
                .cacheSystemMessages(true)
                .cacheTools(true)
                .maxRetries(0)
                .build();
    }

    @Override
    public HttpRequest modelLookup(String model) {
        return HttpRequest.builder()
                .method(HttpMethod.GET)
                .url(baseUrl + "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8))
                .addHeader("x-api-key", apiKey)
                .addHeader("anthropic-version", API_VERSION)
                .build();
    }

    @Override
    public String toString() {
        return "AnthropicApi[" + baseUrl + "]";
    }
}
