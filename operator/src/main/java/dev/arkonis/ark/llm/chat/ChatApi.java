package dev.arkonis.ark.llm.chat;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.model.chat.ChatModel;

/** One provider's API: how to build its LangChain4j chat model and how to ask whether a model exists. */
public interface ChatApi {
    /** Provider name used in messages: {@code openai}, {@code anthropic}. */
    String name();

    /** A chat model with LangChain4j's own retries off (the given HTTP client retries). */
    ChatModel chatModel(String model, HttpClientBuilder http);

    /** GET request for the model's metadata (404: the provider does not know it), or null when the API has none. */
    HttpRequest modelLookup(String model);
}
