package dev.arkonis.ark.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.StubHttpServer.Received;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI against a local server answering in its documented format: the deployment's URL
 * ({@code /openai/deployments/<deployment>/chat/completions?api-version=...}), the {@code api-key} header and no bearer
 * token, answers with content-filter results, and Azure's error codes.
 */
class AzureOpenAiProviderTest extends ProviderContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_VERSION = "2024-10-21";

    @Override
    String model() {
        return "gpt-4o-prod";
    }

    @Override
    ChatApi api(String serverUrl) {
        return new AzureOpenAiApi(serverUrl, KEY, API_VERSION);
    }

    @Override
    String apiRoot() {
        return "";
    }

    @Override
    String chatPath() {
        return "/openai/deployments/gpt-4o-prod/chat/completions";
    }

    @Override
    String textReply(String text, int in, int out) {
        return """
                {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},
                   "finish_reason":"stop","index":0,"logprobs":null,
                   "message":{"content":%s,"refusal":null,"role":"assistant"}}],
                 "created":1700000000,"id":"chatcmpl-az1","model":"gpt-4o-2024-11-20","object":"chat.completion",
                 "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}],
                 "system_fingerprint":"fp_1","usage":{"completion_tokens":%d,"prompt_tokens":%d,"total_tokens":%d}}"""
                .formatted(JSON.valueToTree(text).toString(), out, in, in + out);
    }

    @Override
    String toolCallReply(String id, String tool, String argumentsJson, int in, int out) {
        return """
                {"choices":[{"content_filter_results":{},"finish_reason":"tool_calls","index":0,
                   "message":{"content":null,"role":"assistant","tool_calls":[
                     {"function":{"arguments":%s,"name":"%s"},"id":"%s","type":"function"}]}}],
                 "created":1700000000,"id":"chatcmpl-az2","model":"gpt-4o-2024-11-20","object":"chat.completion",
                 "prompt_filter_results":[],"usage":{"completion_tokens":%d,"prompt_tokens":%d,"total_tokens":%d}}"""
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
        assertThat(request.header("api-key")).isEqualTo(KEY);
        assertThat(request.header("Authorization")).as("Azure's key travels only as api-key").isNull();
        assertThat(request.query()).isEqualTo("api-version=" + API_VERSION);
    }

    @Override
    String errorBody(String type, String message) {
        return "{\"error\":{\"code\":\"" + type + "\",\"message\":" + JSON.valueToTree(message) + "}}";
    }

    /** Azure's data plane cannot look a deployment up: nothing is asked at start. */
    @Override
    @Test
    void verifyAcceptsAKnownModel() throws LlmException {
        provider(FAST).verify();

        assertThat(server.received()).isEmpty();
    }

    /** A deployment that does not exist is named by its first call. */
    @Override
    @Test
    void verifyReportsAnUnknownModel() {
        server.reply(Reply.status(404, errorBody("DeploymentNotFound",
                "The API deployment for this resource does not exist.")));

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider(FAST).complete(request("hi")));

        assertThat(e.getMessage()).contains("model not found: gpt-4o-prod")
                .contains("The API deployment for this resource does not exist");
        assertThat(e.isPermanent()).isTrue();
    }

    @Test
    void theEndpointMayBeGivenWithItsOpenAiPath() {
        assertThat(new AzureOpenAiApi("https://r.openai.azure.com/openai/", KEY, null).endpoint())
                .isEqualTo("https://r.openai.azure.com");
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("request body is not JSON: " + body, e);
        }
    }
}
