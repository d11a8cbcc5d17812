package dev.arkonis.ark.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.StubHttpServer.Received;
import org.junit.jupiter.api.Test;

/**
 * Gemini through Google's OpenAI-compatible endpoint ({@code /v1beta/openai}), against a local server answering in
 * the documented format: bearer key, OpenAI's chat completions, tool calls that end with {@code finish_reason: stop},
 * model ids named {@code models/...}, and errors wrapped in a list.
 */
class GeminiProviderTest extends ProviderContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    String model() {
        return "gemini-2.5-flash";
    }

    @Override
    ChatApi api(String serverUrl) {
        return OpenAiApi.gemini(serverUrl, KEY);
    }

    @Override
    String apiRoot() {
        return "/v1beta/openai";
    }

    @Override
    String chatPath() {
        return "/chat/completions";
    }

    @Override
    String modelLookupPath() {
        return "/v1beta/openai/models/" + model();
    }

    @Override
    String textReply(String text, int in, int out) {
        return """
                {"choices":[{"finish_reason":"stop","index":0,"message":{"content":%s,"role":"assistant"}}],
                 "created":1700000000,"id":"aBcDeF","model":"gemini-2.5-flash","object":"chat.completion",
                 "usage":{"completion_tokens":%d,"prompt_tokens":%d,"total_tokens":%d}}"""
                .formatted(JSON.valueToTree(text).toString(), out, in, in + out);
    }

    @Override
    String toolCallReply(String id, String tool, String argumentsJson, int in, int out) {
        return """
                {"choices":[{"finish_reason":"stop","index":0,"message":{"role":"assistant","tool_calls":[
                   {"function":{"arguments":%s,"name":"%s"},"id":"%s","type":"function"}]}}],
                 "created":1700000000,"id":"gHiJkL","model":"gemini-2.5-flash","object":"chat.completion",
                 "usage":{"completion_tokens":%d,"prompt_tokens":%d,"total_tokens":%d}}"""
                .formatted(JSON.valueToTree(argumentsJson).toString(), tool, id, out, in, in + out);
    }

    @Override
    void assertCarriesToolResult(String requestBody, String id, String result) {
        JsonNode messages = read(requestBody).path("messages");
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("tool");
            assertThat(m.path("tool_call_id").asText()).isEqualTo(id);
            assertThat(m.path("content").asText()).isEqualTo(result);
        });
    }

    @Override
    void assertAuthenticated(Received request) {
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Override
    String errorBody(String type, String message) {
        return "[{\"error\":{\"code\":400,\"message\":" + JSON.valueToTree(message)
                + ",\"status\":\"INVALID_ARGUMENT\"}}]";
    }

    @Test
    void withoutABaseUrlItIsGooglesEndpoint() {
        assertThat(((OpenAiApi) api(null)).baseUrl()).isEqualTo("https://generativelanguage.googleapis.com/v1beta/openai");
        assertThat(api(null).name()).isEqualTo("gemini");
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("request body is not JSON: " + body, e);
        }
    }
}
