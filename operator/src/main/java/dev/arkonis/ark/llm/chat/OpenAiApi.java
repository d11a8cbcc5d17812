package dev.arkonis.ark.llm.chat;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI, or any OpenAI-compatible server (Ollama, vLLM, a gateway such as LiteLLM's proxy, ...) at another base URL,
 * or Google's OpenAI-compatible Gemini endpoint ({@link #gemini}).
 */
public final class OpenAiApi implements ChatApi {
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai";

    private final String name;
    private final String baseUrl;
    private final String apiKey;

    /** @param baseUrl API root including the version, e.g. {@code http://localhost:11434/v1}; null for OpenAI */
    public OpenAiApi(String baseUrl, String apiKey) {
        this("openai", baseUrl, DEFAULT_BASE_URL, apiKey);
    }

    private OpenAiApi(String name, String baseUrl, String defaultBaseUrl, String apiKey) {
        this.name = name;
        this.baseUrl = stripTrailingSlash(baseUrl == null || baseUrl.isBlank() ? defaultBaseUrl : baseUrl);
        this.apiKey = apiKey;
    }

    /** Gemini through its OpenAI-compatible endpoint (bearer key, chat completions, models lookup). */
    public static OpenAiApi gemini(String baseUrl, String apiKey) {
        return new OpenAiApi("gemini", baseUrl, GEMINI_BASE_URL, apiKey);
    }

    @Override
    public String name() {
        return name;
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public ChatModel chatModel(String model, HttpClientBuilder http) {
        return OpenAiChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl)
                .apiKey(apiKey)
                .modelName(model)
                .maxRetries(0)
                .build();
    }

    @Override
    public HttpRequest modelLookup(String model) {
        return HttpRequest.builder()
                .method(HttpMethod.GET)
                .url(baseUrl + "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8))
                .addHeader("Authorization", "Bearer " + apiKey)
                .build();
    }

    static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "OpenAiApi[" + name + ", " + baseUrl + "]";
    }
}
