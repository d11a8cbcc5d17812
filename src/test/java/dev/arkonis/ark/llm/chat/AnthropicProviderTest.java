package dev.arkonis.ark.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.StubHttpServer.Received;
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
