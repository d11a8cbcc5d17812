package dev.arkonis.ark.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.StubHttpServer.Received;
import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import dev.arkonis.ark.llm.tools.Toolbox;
import dev.arkonis.ark.telemetry.Telemetry;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest extends ProviderContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    String model() {
        return "claude-sonnet-4-5";
    }

    @Override
    ChatApi api(String serverUrl) {
        // Like ANTHROPIC_BASE_URL for the Anthropic SDKs: the root without /v1.
        return new AnthropicApi(serverUrl, KEY);
    }

    @Override
    String apiRoot() {
        return "";
    }

    @Override
    String chatPath() {
        return "/v1/messages";
    }

    @Override
    String textReply(String text, int in, int out) {
        return """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":%s}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":%d,"output_tokens":%d}}"""
                .formatted(JSON.valueToTree(text).toString(), in, out);
    }

    @Override
    String toolCallReply(String id, String tool, String argumentsJson, int in, int out) {
        return """
                {"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"Let me check."},
                            {"type":"tool_use","id":"%s","name":"%s","input":%s}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":%d,"output_tokens":%d}}"""
                .formatted(id, tool, argumentsJson, in, out);
    }

    @Override
    void assertCarriesToolResult(String requestBody, String id, String result) {
        JsonNode messages = read(requestBody).path("messages");
        assertThat(messages).anySatisfy(m -> assertThat(m.path("content")).anySatisfy(block -> {
            assertThat(block.path("type").asText()).isEqualTo("tool_result");
            assertThat(block.path("tool_use_id").asText()).isEqualTo(id);
            assertThat(block.path("content").toString()).contains(result);
        }));
        assertThat(messages).anySatisfy(m -> assertThat(m.path("content")).anySatisfy(block -> {
            assertThat(block.path("type").asText()).isEqualTo("tool_use");
            assertThat(block.path("id").asText()).isEqualTo(id);
        }));
    }

    @Override
    void assertAuthenticated(Received request) {
        assertThat(request.header("x-api-key")).isEqualTo(KEY);
        assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
    }

    @Override
    String errorBody(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + JSON.valueToTree(message) + "}}";
    }

    @Test
    void theSystemPromptAndToolsAreMarkedCacheableAndCacheTokensAreCountedApartAndPriced() throws Exception {
        server.reply(Reply.json("""
                {"id":"msg_3","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"Cached."}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":176,"output_tokens":30,"cache_read_input_tokens":1024,
                          "cache_creation_input_tokens":200}}"""));
        ModelPrices prices = new ModelPrices(new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.30"),
                new BigDecimal("3.75"));
        ChatProvider provider = new ChatProvider(api(server.url() + apiRoot()), model(),
                new Toolbox(List.of(weatherTool()), "", List.of()), ChatSettings.DEFAULT.withRetry(FAST),
                Telemetry.none(), prices);

        Completion c = provider.complete(request("Use the cache"));

        // Anthropic's input_tokens leaves out what the cache served and took: ark's input counts every prompt token
        assertThat(c.usage().inputTokens()).isEqualTo(176 + 1024 + 200);
        assertThat(c.usage().cachedInputTokens()).isEqualTo(1024);
        assertThat(c.usage().cacheWriteTokens()).isEqualTo(200);
        assertThat(c.usage().outputTokens()).isEqualTo(30);
        // 176 x $3 + 1024 x $0.30 + 200 x $3.75 + 30 x $15, per million
        assertThat(c.usage().costUSD()).isEqualByComparingTo("0.0020352");
        JsonNode sent = read(server.received().get(0).body());
        assertThat(sent.path("system")).anySatisfy(block ->
                assertThat(block.path("cache_control").path("type").asText()).isEqualTo("ephemeral"));
        JsonNode tools = sent.path("tools");
        assertThat(tools.get(tools.size() - 1).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void baseUrlWithV1IsAcceptedToo() {
        assertThat(new AnthropicApi("https://example.test/v1/", KEY).baseUrl()).isEqualTo("https://example.test/v1");
        assertThat(new AnthropicApi(null, KEY).baseUrl()).isEqualTo(AnthropicApi.DEFAULT_BASE_URL);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("request body is not JSON: " + body, e);
        }
    }
}
