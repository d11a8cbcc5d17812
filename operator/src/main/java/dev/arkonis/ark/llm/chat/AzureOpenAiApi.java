package dev.arkonis.ark.llm.chat;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Azure OpenAI: the chat completions of one deployment, {@code <endpoint>/openai/deployments/<deployment>/
 * chat/completions?api-version=<version>}, authenticated by the {@code api-key} header (and no bearer token). The
 * role's model names the deployment.
 */
public final class AzureOpenAiApi implements ChatApi {
    /** The newest generally available data-plane version when this was written; AZURE_OPENAI_API_VERSION changes it. */
    public static final String DEFAULT_API_VERSION = "2024-10-21";

    private final String endpoint;
    private final String apiKey;
    private final String apiVersion;

    /**
     * @param endpoint   the resource, {@code https://<resource>.openai.azure.com} (a trailing {@code /openai} is
     *                   accepted too)
     * @param apiVersion null for {@link #DEFAULT_API_VERSION}
     */
    public AzureOpenAiApi(String endpoint, String apiKey, String apiVersion) {
        String url = OpenAiApi.stripTrailingSlash(endpoint);
        this.endpoint = url.endsWith("/openai") ? url.substring(0, url.length() - "/openai".length()) : url;
        this.apiKey = apiKey;
        this.apiVersion = apiVersion == null || apiVersion.isBlank() ? DEFAULT_API_VERSION : apiVersion.strip();
    }

    @Override
    public String name() {
        return "azure";
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public ChatModel chatModel(String deployment, HttpClientBuilder http) {
        return OpenAiChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(endpoint + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8))
                .customHeaders(Map.of("api-key", apiKey))
                .customQueryParams(Map.of("api-version", apiVersion))
                .modelName(deployment)
                .maxRetries(0)
                .build();
    }

    /** Azure's data plane has no lookup of one deployment: a wrong one is reported by its first call (404). */
    @Override
    public HttpRequest modelLookup(String deployment) {
        return null;
    }

    @Override
    public String toString() {
        return "AzureOpenAiApi[" + endpoint + "]";
    }
}
