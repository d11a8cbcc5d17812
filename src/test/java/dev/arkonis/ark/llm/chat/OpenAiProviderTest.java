package dev.arkonis.ark.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.StubHttpServer.Received;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import dev.arkonis.ark.llm.tools.Toolbox;
import dev.arkonis.ark.telemetry.Telemetry;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest extends ProviderContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    String model() {
        return "gpt-4o-mini";
    }

    @Override
    ChatApi api(String serverUrl) {
        return new OpenAiApi(serverUrl, KEY);
    }

    @Override
    String apiRoot() {
        return "/v1";
    }

    @Override
    String chatPath() {
        return "/chat/completions";
    }

    @Override
    String textReply(String text, int in, int out) {
        return """
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(JSON.valueToTree(text).toString(), in, out, in + out);
    }

    @Override
    String toolCallReply(String id, String tool, String argumentsJson, int in, int out) {
        return """
                {"id":"chatcmpl-2","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"%s","type":"function","function":{"name":"%s","arguments":%s}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(id, tool, JSON.valueToTree(argumentsJson).toString(), in, out, in + out);
    }

    @Test
    void cachedPromptTokensAreCountedApartAndPricedAtTheCachedPrice() throws Exception {
        server.reply(Reply.json("""
                {"id":"chatcmpl-3","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Cached."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1200,"completion_tokens":30,"total_tokens":1230,
                          "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
                          "completion_tokens_details":{"reasoning_tokens":0}}}"""));
        ModelPrices prices = new ModelPrices(new BigDecimal("0.15"), new BigDecimal("0.60"), new BigDecimal("0.075"),
                null);
        ChatProvider provider = new ChatProvider(api(server.url() + apiRoot()), model(), Toolbox.empty(),
                ChatSettings.DEFAULT.withRetry(FAST), Telemetry.none(), prices);

        Completion c = provider.complete(request("Use the cache"));

        assertThat(c.usage()).isEqualTo(new TokenUsage(1200, 30, 1230, 1024, 0, new BigDecimal("0.0001212")));
    }

    @Override
    void assertCarriesToolResult(String requestBody, String id, String result) {
        JsonNode messages = read(requestBody).path("messages");
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("tool");
            assertThat(m.path("tool_call_id").asText()).isEqualTo(id);
            assertThat(m.path("content").asText()).isEqualTo(result);
        });
        assertThat(messages).anySatisfy(m -> assertThat(m.path("tool_calls").path(0).path("id").asText()).isEqualTo(id));
    }

    @Override
    void assertAuthenticated(Received request) {
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Override
    String errorBody(String type, String message) {
        return "{\"error\":{\"message\":" + JSON.valueToTree(message) + ",\"type\":\"" + type + "\",\"code\":null}}";
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("request body is not JSON: " + body, e);
        }
    }
}
